{#- 600 months (50 years) bounds the spine; a longer history would need a larger series. -#}
with bounds as (
    select min(month_start) as first_month, max(month_start) as last_month
    from {{ ref('fct_incidents') }}
),

offsets as (
    {{ dbt.generate_series(600) }}
),

months as (
    select cast({{ dbt.dateadd('month', 'offsets.generated_number - 1', 'bounds.first_month') }} as date) as month_start
    from bounds
    cross join offsets
    where offsets.generated_number - 1 <= {{ dbt.datediff('bounds.first_month', 'bounds.last_month', 'month') }}
),

final as (
    select
        month_start,
        cast(extract(year from month_start) as {{ dbt.type_int() }}) as calendar_year,
        cast(extract(month from month_start) as {{ dbt.type_int() }}) as month_number,
        cast(extract(quarter from month_start) as {{ dbt.type_int() }}) as calendar_quarter,
        {{ financial_year('month_start') }} as financial_year,
        {{ financial_year_start('month_start') }} as financial_year_start,
        cast({{ financial_quarter('month_start') }} as {{ dbt.type_int() }}) as financial_quarter
    from months
)

select * from final
