{#- The strategic assessment's KPI outturns: each district's financial-year KPI results beside Greater Manchester's
    and its rank among the ten districts (by rate where the KPI has one, else by value; 1 = highest). -#}
with kpi_results as (
    select * from {{ ref('kpi_results') }}
    where period_type = 'financial_year'
),

districts as (
    select * from kpi_results where level = 'district'
),

greater_manchester as (
    select kpi_id, period_label, value, rate from kpi_results where level = 'gm'
),

final as (
    select
        -- keys
        districts.area_code as district_code,
        districts.period_label as financial_year,
        districts.kpi_id,
        -- dimensions
        districts.area_name as district_name,
        districts.kpi_name,
        districts.polarity,
        districts.is_complete,
        -- the district's outturn
        districts.measure_total,
        districts.value,
        districts.rate,
        districts.change_pct,
        districts.comparison_is_projected,
        districts.direction_of_travel,
        districts.is_significant,
        districts.target_level,
        districts.rag,
        -- against Greater Manchester
        greater_manchester.value as gm_value,
        greater_manchester.rate as gm_rate,
        cast(rank() over (
            partition by districts.kpi_id, districts.period_label
            order by coalesce(districts.rate, districts.value) desc
        ) as bigint) as rank_in_gm
    from districts
    left join greater_manchester
        on greater_manchester.kpi_id = districts.kpi_id
        and greater_manchester.period_label = districts.period_label
)

select * from final
