{#- One row per KPI and month its feed has data for: what a period can be counted over. A yearly feed (the road
    casualty table) covers all twelve months of each year it has. A KPI summing a measure (NI 49's casualties) has
    only the months whose deliveries recorded it. -#}
with definitions as (
    select * from {{ ref('kpi_definitions') }}
),

incident_months as (
    select
        partner,
        feed,
        occurred_month as month_start,
        {%- for measure in incident_measure_names() %}
        count({{ measure }}) > 0 as records_{{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_incidents_unioned') }}
    group by partner, feed, occurred_month
),

casualty_years as (
    select distinct casualty_year from {{ ref('stg_transport__road_casualties') }}
),

month_numbers as (
    {{ dbt.generate_series(12) }}
),

casualty_months as (
    select
        'transport' as partner,
        'stats19_casualties' as feed,
        cast({{ dbt.dateadd('month', 'month_numbers.generated_number - 1',
                            "cast(" ~ dbt.concat(["cast(casualty_years.casualty_year as " ~ dbt.type_string() ~ ")", "'-01-01'"]) ~ " as date)") }} as date) as month_start,
        {%- for measure in incident_measure_names() %}
        false as records_{{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from casualty_years
    cross join month_numbers
),

feed_months as (
    select * from incident_months
    union all
    select * from casualty_months
),

final as (
    select definitions.kpi_id, feed_months.month_start
    from definitions
    inner join feed_months
        on feed_months.partner = definitions.partner
        and feed_months.feed = definitions.feed
        and (definitions.measure is null or case definitions.measure
            {%- for measure in incident_measure_names() %}
            when '{{ measure }}' then feed_months.records_{{ measure }}
            {%- endfor %}
        end)
)

select * from final
