{#- One row per KPI and month its feed has data for: what a period can be counted over. A yearly feed (the road
    casualty table) covers all twelve months of each year it has. -#}
with definitions as (
    select * from {{ ref('kpi_definitions') }}
),

incident_months as (
    select distinct partner, feed, occurred_month as month_start from {{ ref('int_incidents_unioned') }}
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
                            "cast(" ~ dbt.concat(["cast(casualty_years.casualty_year as " ~ dbt.type_string() ~ ")", "'-01-01'"]) ~ " as date)") }} as date) as month_start
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
)

select * from final
