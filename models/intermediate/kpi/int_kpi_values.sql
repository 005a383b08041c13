{{ config(materialized='table') }}
{#- One row per KPI, area (at each level the KPI is reported at) and period (of each period type it uses): the
    count (of events, or the sum of the KPI's measure), the value (the count, or its yearly average over a rolling run of years) and the rate. Counted over
    the months the deliveries cover the area (int_kpi_feed_months, months_with_data), and zero-filled there: an area
    with no events in such months has a 0; an area with no covered month in a period has no row. -#}
{%- set period_types = ['month', 'quarter', 'financial_year', 'calendar_year', 'rolling_12_months', 'rolling_3_calendar_years'] -%}
{%- set levels = ['ward', 'district', 'gm'] -%}

with definitions as (
    select * from {{ ref('kpi_definitions') }}
),

periods as (
    select * from {{ ref('int_kpi_periods') }}
),

feed_months as (
    select * from {{ ref('int_kpi_feed_months') }}
),

population as (
    select * from {{ ref('int_population_ward_year') }}
),

-- The period types and levels each KPI's seed row lists ('financial_year|rolling_12_months').
kpi_period_types as (
    {%- for period_type in period_types %}
    select kpi_id, '{{ period_type }}' as period_type from definitions
    where {{ dbt.concat(["'|'", 'period_types', "'|'"]) }} like '%|{{ period_type }}|%'
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

kpi_levels as (
    {%- for level in levels %}
    select kpi_id, '{{ level }}' as level from definitions
    where {{ dbt.concat(["'|'", 'levels', "'|'"]) }} like '%|{{ level }}|%'
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

areas as (
    select 'ward' as level, ward_code as area_code, ward_name as area_name, ward_code, district_code
    from {{ ref('dim_ward') }}
    union all
    select 'district', district_code, district_name, cast(null as {{ dbt.type_string() }}), district_code
    from {{ ref('dim_district') }}
    union all
    select 'gm', {{ area_code() }}, {{ area_name() }}, cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})
),

-- The months each area has data for: a ward's and a district's are the months the deliveries cover its district;
-- Greater Manchester's those they cover in every district (a month with some districts missing or partial is not a
-- month of Greater Manchester's data).
area_months as (
    select feed_months.kpi_id, areas.level, areas.area_code, feed_months.month_start
    from feed_months
    inner join areas
        on areas.district_code = feed_months.district_code
        and areas.level in ('ward', 'district')
    union all
    select kpi_id, 'gm', {{ area_code() }}, month_start
    from feed_months
    group by kpi_id, month_start
    having count(distinct district_code) = (select count(*) from {{ ref('dim_district') }})
),

-- An area's period is reported when it has data for at least one of the period's months.
covered_periods as (
    select
        kpi_period_types.kpi_id,
        area_months.level,
        area_months.area_code,
        periods.period_type,
        periods.period_label,
        periods.period_start,
        periods.period_end,
        periods.comparison_start,
        periods.months_in_period,
        periods.years_averaged,
        count(*) as months_with_data
    from kpi_period_types
    inner join kpi_levels on kpi_levels.kpi_id = kpi_period_types.kpi_id
    inner join periods on periods.period_type = kpi_period_types.period_type
    inner join area_months
        on area_months.kpi_id = kpi_period_types.kpi_id
        and area_months.level = kpi_levels.level
        and area_months.month_start between periods.period_start and periods.period_end
    group by
        kpi_period_types.kpi_id, area_months.level, area_months.area_code, periods.period_type, periods.period_label,
        periods.period_start, periods.period_end, periods.comparison_start, periods.months_in_period,
        periods.years_averaged
),

monthly_counts as (
    select kpi_id, month_start, ward_code, district_code, sum(amount) as events
    from {{ ref('int_kpi_events') }}
    group by kpi_id, month_start, ward_code, district_code
),

-- Each area's events in the months it has data for only: events of a month a district was not covered (a partial
-- delivery's rows) count nowhere, rather than make a part-month look like a whole one. A branch a level, each joined
-- on its own code: one join on "this level's code or that level's" cannot be hashed on the code, and compared every
-- ward's month with every other ward's.
area_monthly_counts as (
    {%- for level in levels %}
    select area_months.kpi_id, area_months.level, area_months.area_code, area_months.month_start,
           sum(monthly_counts.events) as events
    from area_months
    inner join monthly_counts
        on monthly_counts.kpi_id = area_months.kpi_id
        and monthly_counts.month_start = area_months.month_start
        {%- if level != 'gm' %}
        and monthly_counts.{{ level }}_code = area_months.area_code
        {%- endif %}
    where area_months.level = '{{ level }}'
    group by area_months.kpi_id, area_months.level, area_months.area_code, area_months.month_start
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

period_counts as (
    select
        covered_periods.kpi_id,
        covered_periods.period_type,
        covered_periods.period_label,
        covered_periods.level,
        covered_periods.area_code,
        sum(area_monthly_counts.events) as events
    from covered_periods
    inner join area_monthly_counts
        on area_monthly_counts.kpi_id = covered_periods.kpi_id
        and area_monthly_counts.level = covered_periods.level
        and area_monthly_counts.area_code = covered_periods.area_code
        and area_monthly_counts.month_start between covered_periods.period_start and covered_periods.period_end
    group by covered_periods.kpi_id, covered_periods.period_type, covered_periods.period_label, covered_periods.level,
             covered_periods.area_code
),

-- Denominators of the calendar year a period starts in (a financial year takes the mid-year estimate of the year
-- it begins in), summed from wards to districts and Greater Manchester; a branch a level, as above.
area_population as (
    {%- for level in levels %}
    select areas.level, areas.area_code, population.year,
           sum(population.population) as population,
           sum(population.households) as households,
           max(case when population.population_is_estimate then 1 else 0 end) = 1 as population_is_estimate,
           max(case when population.households_is_estimate then 1 else 0 end) = 1 as households_is_estimate
    from areas
    inner join population
        {%- if level != 'gm' %}
        on population.{{ level }}_code = areas.area_code
        {%- else %}
        on true
        {%- endif %}
    where areas.level = '{{ level }}'
    group by areas.level, areas.area_code, population.year
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

grid as (
    select
        covered_periods.*,
        areas.area_name
    from covered_periods
    inner join areas on areas.level = covered_periods.level and areas.area_code = covered_periods.area_code
),

final as (
    select
        -- keys
        grid.kpi_id,
        grid.level,
        grid.area_code,
        grid.period_type,
        grid.period_label,
        -- dimensions
        grid.area_name,
        grid.period_start,
        grid.period_end,
        grid.comparison_start,
        grid.months_in_period,
        cast(grid.months_with_data as {{ dbt.type_int() }}) as months_with_data,
        grid.years_averaged,
        definitions.denominator as denominator_kind,
        cast(definitions.rate_per as double) as rate_per,
        -- measures
        cast(coalesce(period_counts.events, 0) as bigint) as measure_total,
        cast(coalesce(period_counts.events, 0) as double) / grid.years_averaged as value,
        cast(case definitions.denominator
            when 'population' then area_population.population
            when 'households' then area_population.households
        end as double) as denominator,
        case definitions.denominator
            when 'population' then area_population.population_is_estimate
            when 'households' then area_population.households_is_estimate
        end as denominator_is_estimate,
        -- multiplied before dividing, so 3 per 5,000 is 60.0 per 100,000 rather than 59.99999999999999
        cast(
            cast(coalesce(period_counts.events, 0) as double) / grid.years_averaged * definitions.rate_per
            / nullif(case definitions.denominator
                when 'population' then area_population.population
                when 'households' then area_population.households
            end, 0)
        as double) as rate
    from grid
    inner join definitions on definitions.kpi_id = grid.kpi_id
    left join period_counts
        on period_counts.kpi_id = grid.kpi_id
        and period_counts.period_type = grid.period_type
        and period_counts.period_label = grid.period_label
        and period_counts.level = grid.level
        and period_counts.area_code = grid.area_code
    left join area_population
        on area_population.level = grid.level
        and area_population.area_code = grid.area_code
        and area_population.year = extract(year from grid.period_start)
)

select * from final
