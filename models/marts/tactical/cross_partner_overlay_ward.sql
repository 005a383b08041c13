{%- set measures = ['deliberate_fires', 'asb_incidents', 'assault_callouts'] %}

with incidents as {{ not_materialized() }} (
    select * from {{ ref('fct_incidents') }}
),

config as (
    select overlay_top_share, overlay_measures_required from {{ ref('tactical_config') }}
),

wards as (
    select ward_code, ward_name, district_code from {{ ref('dim_ward') }}
),

-- The three measures, each from the one partner feed that sees it.
measure_feeds as (
    select 'deliberate_fires' as measure, 'fire' as partner, 'incidents' as feed
    union all
    select 'asb_incidents' as measure, 'police' as partner, 'street_crime' as feed
    union all
    select 'assault_callouts' as measure, 'ambulance' as partner, 'callouts' as feed
),

measure_incidents as (
    select measure_feeds.measure, incidents.ward_code, incidents.financial_year
    from incidents
    inner join measure_feeds
        on measure_feeds.partner = incidents.partner
        and measure_feeds.feed = incidents.feed
    where (measure_feeds.measure = 'deliberate_fires' and incidents.is_deliberate_fire)
        or (measure_feeds.measure = 'asb_incidents' and incidents.category_group = 'ASB')
        or (measure_feeds.measure = 'assault_callouts' and incidents.category_group = 'Violence')
),

-- Each measure in each financial year its feed delivered, and how many of the year's months it delivered.
measure_years as (
    select
        measure_feeds.measure,
        incidents.financial_year,
        count(distinct incidents.month_start) as months_delivered
    from measure_feeds
    inner join incidents
        on incidents.partner = measure_feeds.partner
        and incidents.feed = measure_feeds.feed
    group by measure_feeds.measure, incidents.financial_year
),

ward_counts as (
    select measure, ward_code, financial_year, count(*) as incident_count
    from measure_incidents
    where ward_code is not null
    group by measure, ward_code, financial_year
),

-- Every ward ranked within Greater Manchester on each measure and year (1 = most incidents). Ranks use counts, not
-- rates (population denominators are not yet in the warehouse): a populous ward or a busy town centre can rank high
-- for its size. Equal counts share the best place they tie for (two wards tied for 2nd are both 2; the next is 4).
ranked as (
    select
        measure_years.measure,
        measure_years.financial_year,
        measure_years.months_delivered,
        wards.ward_code,
        coalesce(ward_counts.incident_count, 0) as incident_count,
        rank() over (
            partition by measure_years.measure, measure_years.financial_year
            order by coalesce(ward_counts.incident_count, 0) desc
        ) as gm_rank
    from measure_years
    cross join wards
    left join ward_counts
        on ward_counts.measure = measure_years.measure
        and ward_counts.financial_year = measure_years.financial_year
        and ward_counts.ward_code = wards.ward_code
),

-- The top share of wards: rank at most overlay_top_share x the number of wards (0.2 x 215 = 43), ties at the
-- cut-off included, and at least one incident (a ward with none is never at the top, however many tie on 0).
cut_off as (
    select cast(floor(config.overlay_top_share * count(*)) as bigint) as top_rank_cut_off
    from wards
    cross join config
    group by config.overlay_top_share
),

flagged as (
    select
        ranked.*,
        ranked.gm_rank <= cut_off.top_rank_cut_off and ranked.incident_count > 0 as is_top
    from ranked
    cross join cut_off
),

-- One row per ward and year: a measure whose feed did not deliver that year has nulls, and counts in no top.
pivoted as (
    select
        ward_code,
        financial_year,
        {%- for measure in measures %}
        max(case when measure = '{{ measure }}' then incident_count end) as {{ measure }},
        max(case when measure = '{{ measure }}' then gm_rank end) as {{ measure }}_rank,
        max(case when measure = '{{ measure }}' then months_delivered end) as {{ measure }}_months,
        max(case when measure = '{{ measure }}' then case when is_top then 1 else 0 end end) as {{ measure }}_top,
        {%- endfor %}
        sum(case when is_top then 1 else 0 end) as measures_in_top
    from flagged
    group by ward_code, financial_year
),

final as (
    select
        -- keys
        pivoted.ward_code,
        pivoted.financial_year,
        -- dimensions
        wards.ward_name,
        wards.district_code,
        cut_off.top_rank_cut_off,
        -- measures
        {%- for measure in measures %}
        cast(pivoted.{{ measure }} as bigint) as {{ measure }},
        cast(pivoted.{{ measure }}_rank as bigint) as {{ measure }}_rank,
        cast(pivoted.{{ measure }}_months as bigint) as {{ measure }}_months,
        pivoted.{{ measure }}_top = 1 as is_top_{{ measure }},
        {%- endfor %}
        cast(pivoted.measures_in_top as bigint) as measures_in_top,
        pivoted.measures_in_top >= config.overlay_measures_required as is_cross_partner_hotspot
    from pivoted
    cross join cut_off
    cross join config
    inner join wards on wards.ward_code = pivoted.ward_code
)

select * from final
