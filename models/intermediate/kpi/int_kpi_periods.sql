{#- Every reporting period the months of any KPI's feed fall in, for every period type a KPI can use: drawn from
    the feeds' own months (int_kpi_feed_months), not the incidents', so a yearly table reaching past the incidents
    (the TfGM casualty table, 2010-2021) has every period it covers. The same period a year earlier is its
    comparison; a rolling period ends in each month. A period is counted over whatever months of it the KPI's feed
    has (int_kpi_values says how many). -#}
with feed_months as (
    select distinct month_start from {{ ref('int_kpi_feed_months') }}
),

months as (
    select
        month_start,
        cast(extract(year from month_start) as {{ dbt.type_int() }}) as calendar_year,
        {{ financial_year('month_start') }} as financial_year,
        {{ financial_year_start('month_start') }} as financial_year_start,
        cast({{ financial_quarter('month_start') }} as {{ dbt.type_int() }}) as financial_quarter
    from feed_months
),

fixed_periods as (
    select distinct
        'month' as period_type,
        {{ month_label('month_start') }} as period_label,
        month_start as period_start,
        month_start as period_end,
        1 as months_in_period,
        1 as years_averaged
    from months
    union all
    select distinct
        'quarter',
        {{ dbt.concat(['financial_year', "' Q'", "cast(financial_quarter as " ~ dbt.type_string() ~ ")"]) }},
        cast({{ dbt.dateadd('month', '3 * (financial_quarter - 1)',
                            "cast(" ~ dbt.concat(["cast(financial_year_start as " ~ dbt.type_string() ~ ")", "'-04-01'"]) ~ " as date)") }} as date),
        cast({{ dbt.dateadd('month', '3 * (financial_quarter - 1) + 2',
                            "cast(" ~ dbt.concat(["cast(financial_year_start as " ~ dbt.type_string() ~ ")", "'-04-01'"]) ~ " as date)") }} as date),
        3,
        1
    from months
    union all
    select distinct
        'financial_year',
        financial_year,
        cast({{ dbt.concat(["cast(financial_year_start as " ~ dbt.type_string() ~ ")", "'-04-01'"]) }} as date),
        cast({{ dbt.concat(["cast(financial_year_start + 1 as " ~ dbt.type_string() ~ ")", "'-03-01'"]) }} as date),
        12,
        1
    from months
    union all
    select distinct
        'calendar_year',
        cast(calendar_year as {{ dbt.type_string() }}),
        cast({{ dbt.concat(["cast(calendar_year as " ~ dbt.type_string() ~ ")", "'-01-01'"]) }} as date),
        cast({{ dbt.concat(["cast(calendar_year as " ~ dbt.type_string() ~ ")", "'-12-01'"]) }} as date),
        12,
        1
    from months
),

rolling_periods as (
    select
        'rolling_12_months' as period_type,
        {{ dbt.concat(["'12 months to '", month_label('month_start')]) }} as period_label,
        cast({{ dbt.dateadd('month', '-11', 'month_start') }} as date) as period_start,
        month_start as period_end,
        12 as months_in_period,
        1 as years_averaged
    from months
    union all
    select distinct
        'rolling_3_calendar_years',
        {{ dbt.concat(["'3 years to '", "cast(calendar_year as " ~ dbt.type_string() ~ ")"]) }},
        cast({{ dbt.concat(["cast(calendar_year - 2 as " ~ dbt.type_string() ~ ")", "'-01-01'"]) }} as date),
        cast({{ dbt.concat(["cast(calendar_year as " ~ dbt.type_string() ~ ")", "'-12-01'"]) }} as date),
        36,
        3
    from months
),

periods as (
    select * from fixed_periods
    union all
    select * from rolling_periods
),

final as (
    select
        -- keys
        periods.period_type,
        periods.period_label,
        -- dimensions
        periods.period_start,
        periods.period_end,
        cast({{ dbt.dateadd('month', '-12', 'periods.period_start') }} as date) as comparison_start,
        cast(periods.months_in_period as {{ dbt.type_int() }}) as months_in_period,
        cast(periods.years_averaged as {{ dbt.type_int() }}) as years_averaged
    from periods
)

select * from final
