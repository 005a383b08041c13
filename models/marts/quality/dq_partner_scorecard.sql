{#- A view, so it reads the latest quality run without a dbt run after each hub check; hub publish writes it out
    as a table. -#}
{{ config(materialized='view') }}
{#- The date lateness is judged at: the as_at var (YYYY-MM-DD) when set, e.g. by the demo, otherwise today. -#}
{%- set as_at = var('as_at') -%}
{%- set as_at_date = "cast('" ~ as_at ~ "' as date)" if as_at else "current_date" -%}

with loads as (
    select * from {{ source('audit', 'loads') }}
    where status = 'loaded'
),

cadence as (
    select * from {{ ref('feed_cadence') }}
),

incidents as (
    select * from {{ ref('fct_incidents') }}
),

-- The last period each delivery's rows fall in. Reference data (no period) is not a partner's delivery.
last_periods as (
    select load_id, max(period_start) as last_period_start
    from {{ source('audit', 'load_periods') }}
    group by load_id
),

-- A delivery is attributed to the period it is for (its slice's month, or year for a yearly feed), not to every
-- period a late record in it touches.
deliveries as (
    select
        loads.partner,
        loads.feed,
        loads.slice_period_start as month_start,
        -- a yearly feed's delivery may hold many years (the TfGM casualty table, 2010-2021): its latest is the year
        -- of the last of its periods (years, or months for STATS19 collisions); a monthly delivery's is its month
        max(case when loads.slice_period_grain = 'year'
                 then substring(cast(last_periods.last_period_start as {{ dbt.type_string() }}), 1, 4)
                 else substring(cast(loads.slice_period_start as {{ dbt.type_string() }}), 1, 7) end) as latest_period,
        loads.slice_period_grain as period_grain,
        count(*) as files_received,
        sum(loads.rows_read) as rows_received,
        sum(loads.rows_rejected) as rows_rejected,
        min(loads.delivered_at) as first_delivered_at
    from loads
    inner join last_periods on last_periods.load_id = loads.load_id
    group by loads.partner, loads.feed, loads.slice_period_start, loads.slice_period_grain
),

placed as (
    select
        partner,
        feed,
        month_start,
        count(*) as rows_in_facts,
        sum(case when geo_method <> 'unresolved' then 1 else 0 end) as rows_located,
        sum(case when ward_code is not null then 1 else 0 end) as rows_in_gm_wards,
        sum(case when category_group <> 'Unmapped' then 1 else 0 end) as rows_categorised
    from incidents
    group by partner, feed, month_start
),

-- Districts whose month the deliveries do not cover, and of them those far below their recent level (int_feed_coverage).
coverage as (
    select
        partner,
        feed,
        month_start,
        sum(case when coverage = 'suspected partial delivery' then 1 else 0 end) as suspected_partial_districts,
        sum(case when is_covered then 0 else 1 end) as districts_not_covered
    from {{ ref('int_feed_coverage') }}
    group by partner, feed, month_start
),

latest_run as (
    select
        partner,
        run_id,
        sum(case when success then 1 else 0 end) as expectations_passed,
        sum(case when not success then 1 else 0 end) as expectations_failed,
        sum(case when not success and severity = 'critical' then 1 else 0 end) as critical_failed
    from {{ source('audit', 'dq_results') }}
    where run_id = (select max(run_id) from {{ source('audit', 'dq_results') }})
    group by partner, run_id
),

measured as (
    select
        deliveries.partner,
        deliveries.feed,
        deliveries.month_start,
        deliveries.period_grain,
        deliveries.latest_period,
        deliveries.files_received,
        deliveries.rows_received,
        deliveries.rows_rejected,
        coalesce(placed.rows_in_facts, 0) as rows_in_facts,
        coalesce(placed.rows_located, 0) as rows_located,
        coalesce(placed.rows_in_gm_wards, 0) as rows_in_gm_wards,
        coalesce(placed.rows_categorised, 0) as rows_categorised,
        coalesce(coverage.suspected_partial_districts, 0) as suspected_partial_districts,
        coalesce(coverage.districts_not_covered, 0) as districts_not_covered,
        deliveries.first_delivered_at,
        cadence.period_months,
        cadence.due_days_after_period,
        -- due: the last day of the period the delivery is for (a month or a year), plus the feed's allowance
        {{ dbt.dateadd('day', 'cadence.due_days_after_period',
                       dbt.dateadd('day', '-1', dbt.dateadd('month', 'cadence.period_months', 'deliveries.month_start'))) }} as due_on,
        avg(deliveries.rows_received) over (
            partition by deliveries.partner, deliveries.feed order by deliveries.month_start
            rows between 3 preceding and 1 preceding
        ) as recent_monthly_rows,
        lag(deliveries.rows_received) over (
            partition by deliveries.partner, deliveries.feed order by deliveries.month_start
        ) as previous_month_rows,
        row_number() over (
            partition by deliveries.partner, deliveries.feed order by deliveries.month_start desc
        ) as recency
    from deliveries
    left join placed
        on placed.partner = deliveries.partner
        and placed.feed = deliveries.feed
        and placed.month_start = deliveries.month_start
    left join cadence
        on cadence.partner = deliveries.partner
        and cadence.feed = deliveries.feed
    left join coverage
        on coverage.partner = deliveries.partner
        and coverage.feed = deliveries.feed
        and coverage.month_start = deliveries.month_start
),

final as (
    select
        -- keys
        measured.partner,
        measured.feed,
        measured.month_start,
        -- dimensions
        measured.period_grain,
        measured.latest_period,
        -- what arrived
        cast(measured.files_received as bigint) as files_received,
        cast(measured.rows_received as bigint) as rows_received,
        cast(measured.rows_rejected as bigint) as rows_rejected,
        cast(100.0 * measured.rows_rejected / nullif(measured.rows_received, 0) as double) as rejected_pct,
        -- how usable it is
        cast(100.0 * measured.rows_located / nullif(measured.rows_in_facts, 0) as double) as located_pct,
        cast(100.0 * measured.rows_in_gm_wards / nullif(measured.rows_in_facts, 0) as double) as in_gm_ward_pct,
        cast(100.0 * measured.rows_categorised / nullif(measured.rows_in_facts, 0) as double) as categorised_pct,
        -- when it arrived
        cast(measured.first_delivered_at as date) as delivered_on,
        cast(measured.due_on as date) as due_on,
        -- a feed not judged for lateness (no period_months in feed_cadence) has no due date, so neither is late
        case when measured.due_on is not null
             then cast(greatest({{ dbt.datediff('measured.due_on', 'measured.first_delivered_at', 'day') }}, 0) as bigint)
        end as days_late,
        measured.recency = 1 as is_latest_month,
        case when measured.recency = 1 and measured.due_on is not null then cast(greatest({{ dbt.datediff(
            dbt.dateadd('day', 'measured.due_days_after_period',
                        dbt.dateadd('day', '-1', dbt.dateadd('month', '2 * measured.period_months', 'measured.month_start'))),
            as_at_date, 'day') }}, 0) as bigint) end as next_month_overdue_days,
        -- trend
        cast(measured.rows_received / nullif(measured.recent_monthly_rows, 0) as double) as volume_vs_recent_ratio,
        cast(100.0 * (measured.rows_received - measured.previous_month_rows)
             / nullif(measured.previous_month_rows, 0) as double) as change_on_previous_month_pct,
        -- coverage: districts whose figures for the month are withheld (null, never 0)
        cast(measured.suspected_partial_districts as bigint) as suspected_partial_districts,
        cast(measured.districts_not_covered as bigint) as districts_not_covered,
        -- the latest quality run, for the partner's tables as a whole
        latest_run.run_id as latest_quality_run,
        cast(latest_run.expectations_passed as bigint) as expectations_passed,
        cast(latest_run.expectations_failed as bigint) as expectations_failed,
        cast(latest_run.critical_failed as bigint) as critical_expectations_failed
    from measured
    left join latest_run on latest_run.partner = measured.partner
)

select * from final
