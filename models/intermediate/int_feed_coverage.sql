{{ config(materialized='table') }}
{#- Whether the deliveries of each partner feed cover each month and district, so a count is published only where the
    partner sent the data for it and a missing or partial delivery is never read as 0. A delivery covers what it
    declares or implies (seed feed_coverage: a force or service file its whole area, a district partner's file the
    districts its rows are in; a police.uk street file the area's districts in its force's area) for the period it is for - its slice's month, or for a yearly delivery every month
    or year it lists - unless the district's month is far below its recent level (suspected partial). The spine
    runs from each feed's first to last month delivered or holding an incident, so a gap in between is 'not
    delivered'. Settings: the coverage_* vars in dbt_project.yml. -#}
{%- set partial_ratio = var('coverage_suspected_partial_ratio') -%}
{%- set partial_min_recent = var('coverage_suspected_partial_min_recent_count') -%}
{%- set recent_months = var('coverage_recent_months') -%}
{%- set min_recent_months = var('coverage_min_recent_months') -%}

with loads as (
    select load_id, partner, feed, slice_period_start, slice_period_grain, slice_scope
    from {{ source('audit', 'loads') }}
    where status = 'loaded'
        and load_id in (select load_periods.load_id from {{ source('audit', 'load_periods') }} as load_periods)
),

load_periods as (
    select * from {{ source('audit', 'load_periods') }}
),

-- The forces whose police.uk street files cover the area, each with the area's districts in its force area (`hub
-- area` names them: one force for an area inside a force area, every force for England and Wales).
force_districts as (
    {{ area_police_force_districts() }}
),

-- The partners' feeds as the seed declares them, and each force's police.uk street file.
scopes as (
    select partner, feed, delivery_scope, covers from {{ ref('feed_coverage') }}
    union
    select distinct 'police', 'street_crime', police_force, 'force_districts' from force_districts
),

districts as (
    select distinct district_code from {{ ref('int_area_wards') }}
),

incidents as {{ not_materialized() }} (
    select partner, feed, month_start, district_code, load_id from {{ ref('int_incidents_placed') }}
),

positions as (
    {{ dbt.generate_series(600) }}
),

-- The periods a delivery is for: a monthly delivery its slice's month only (a late record of another month in it
-- does not make it that month's delivery); a yearly one every period it holds (a year's collisions their months,
-- a multi-year casualty table its years).
covered_periods as (
    select loads.load_id, loads.slice_period_start as period_start, loads.slice_period_grain as period_grain
    from loads
    where loads.slice_period_grain = 'month'
    union
    select loads.load_id, load_periods.period_start, load_periods.period_grain
    from loads
    inner join load_periods on load_periods.load_id = loads.load_id
    where loads.slice_period_grain = 'year'
),

month_numbers as (
    {{ dbt.generate_series(12) }}
),

delivered_months as (
    select distinct
        covered_periods.load_id,
        cast({{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'covered_periods.period_start') }} as date) as month_start
    from covered_periods
    inner join month_numbers
        on month_numbers.generated_number <= case when covered_periods.period_grain = 'year' then 12 else 1 end
),

-- The districts each delivery declares: every district of the area for a file of the area's service, the area's
-- districts in the force's area for a police.uk street file, the districts its rows fall in for a district partner's
-- file, none for a scope neither lists (a force's file outside the area).
declared_by as (
    select loads.load_id, loads.partner, loads.feed, loads.slice_scope, scopes.covers
    from loads
    inner join scopes
        on scopes.partner = loads.partner
        and scopes.feed = loads.feed
        and coalesce(scopes.delivery_scope, '') = coalesce(loads.slice_scope, '')
),

districts_in_delivery as (
    select distinct load_id, district_code from incidents where district_code is not null
),

declared as (
    select distinct declared_by.partner, declared_by.feed, delivered_months.month_start, districts.district_code
    from declared_by
    inner join delivered_months on delivered_months.load_id = declared_by.load_id
    cross join districts
    where declared_by.covers = 'whole_area'
    union
    select distinct declared_by.partner, declared_by.feed, delivered_months.month_start, districts.district_code
    from declared_by
    inner join delivered_months on delivered_months.load_id = declared_by.load_id
    inner join force_districts on force_districts.police_force = declared_by.slice_scope
    inner join districts on districts.district_code = force_districts.district_code
    where declared_by.covers = 'force_districts'
    union
    select distinct declared_by.partner, declared_by.feed, delivered_months.month_start, districts_in_delivery.district_code
    from declared_by
    inner join delivered_months on delivered_months.load_id = declared_by.load_id
    inner join districts_in_delivery on districts_in_delivery.load_id = declared_by.load_id
    where declared_by.covers = 'districts_in_delivery'
),

-- The months any delivery of the feed is for, whatever districts it declares.
delivered_feed_months as (
    select distinct loads.partner, loads.feed, delivered_months.month_start
    from loads
    inner join delivered_months on delivered_months.load_id = loads.load_id
),

feed_months as (
    select partner, feed, month_start from delivered_feed_months
    union
    select partner, feed, month_start from incidents
),

feed_spans as (
    select partner, feed, min(month_start) as first_month, max(month_start) as last_month
    from feed_months
    group by partner, feed
),

spine as (
    select
        feed_spans.partner,
        feed_spans.feed,
        cast({{ dbt.dateadd('month', 'positions.generated_number - 1', 'feed_spans.first_month') }} as date) as month_start,
        districts.district_code
    from feed_spans
    inner join positions
        on positions.generated_number - 1 <= {{ dbt.datediff('feed_spans.first_month', 'feed_spans.last_month', 'month') }}
    cross join districts
),

volumes as (
    select partner, feed, month_start, district_code, count(*) as delivered_count
    from incidents
    where district_code is not null
    group by partner, feed, month_start, district_code
),

-- A declared district-month's volume against the median of the previous months the district was declared in.
measured as (
    select
        declared.partner,
        declared.feed,
        declared.month_start,
        declared.district_code,
        coalesce(volumes.delivered_count, 0) as delivered_count,
        {{ median("coalesce(volumes.delivered_count, 0)") }} over recent as recent_median_count,
        count(*) over recent as recent_months
    from declared
    left join volumes
        on volumes.partner = declared.partner
        and volumes.feed = declared.feed
        and volumes.month_start = declared.month_start
        and volumes.district_code = declared.district_code
    window recent as (
        partition by declared.partner, declared.feed, declared.district_code
        order by declared.month_start
        rows between {{ recent_months }} preceding and 1 preceding
    )
),

judged as (
    select
        -- keys
        spine.partner,
        spine.feed,
        spine.month_start,
        spine.district_code,
        -- the judgement
        case
            when delivered_feed_months.month_start is null then 'not delivered'
            when measured.month_start is null then 'not in delivery'
            when measured.recent_months >= {{ min_recent_months }}
                and measured.recent_median_count >= {{ partial_min_recent }}
                and measured.delivered_count < {{ partial_ratio }} * measured.recent_median_count
                then 'suspected partial delivery'
            else 'covered'
        end as coverage,
        -- the evidence
        cast(measured.delivered_count as bigint) as delivered_count,
        cast(measured.recent_median_count as double) as recent_median_count,
        cast(measured.recent_months as bigint) as recent_months
    from spine
    left join measured
        on measured.partner = spine.partner
        and measured.feed = spine.feed
        and measured.month_start = spine.month_start
        and measured.district_code = spine.district_code
    left join delivered_feed_months
        on delivered_feed_months.partner = spine.partner
        and delivered_feed_months.feed = spine.feed
        and delivered_feed_months.month_start = spine.month_start
),

final as (
    select
        partner,
        feed,
        month_start,
        district_code,
        coverage,
        coverage = 'covered' as is_covered,
        delivered_count,
        recent_median_count,
        recent_months
    from judged
)

select * from final
