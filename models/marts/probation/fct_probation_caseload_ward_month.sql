with caseload as (
    select * from {{ ref('stg_probation__caseload') }}
),

lsoa_lookup as (
    select * from {{ ref('int_lsoa_ward_lookup') }}
),

placed as (
    select caseload.*, lsoa_lookup.ward_code
    from caseload
    left join lsoa_lookup on lsoa_lookup.lsoa_code = caseload.home_lsoa_code
),

-- A snapshot holds each offender once (stg_probation__caseload's unique_combination test, which dbt runs before
-- this model), so its rows are its distinct offenders: counted without DISTINCT, nine of which took over half this
-- model's time at 10M (bench/README.md).
counts as (
    select
        ward_code,
        snapshot_month as month_start,
        count(*) as offenders,
        count(case when is_ppo then 1 end) as ppo_offenders,
        count(case when is_high_rosh then 1 end) as high_rosh_offenders,
        count(case when tier = 1 then 1 end) as tier_1_offenders,
        count(case when tier = 2 then 1 end) as tier_2_offenders,
        count(case when tier = 3 then 1 end) as tier_3_offenders,
        count(case when tier = 4 then 1 end) as tier_4_offenders,
        count(case when has_proven_reoffence is not null then 1 end) as reoffence_known_offenders,
        count(case when has_proven_reoffence then 1 end) as proven_reoffenders
    from placed
    group by ward_code, snapshot_month
),

-- Every ward in every snapshot month, plus one row a month for offenders whose home could not be placed.
grid as (
    select wards.ward_code, wards.district_code, months.month_start
    from (select ward_code, district_code from {{ ref('dim_ward') }}
          union all
          select cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})) as wards
    cross join (select distinct snapshot_month as month_start from caseload) as months
),

final as (
    select
        -- keys
        grid.ward_code,
        grid.month_start,
        -- dimensions
        grid.district_code,
        grid.ward_code is not null as is_placed,
        -- measures
        {%- for measure in ['offenders', 'ppo_offenders', 'high_rosh_offenders', 'tier_1_offenders', 'tier_2_offenders',
                            'tier_3_offenders', 'tier_4_offenders', 'reoffence_known_offenders', 'proven_reoffenders'] %}
        cast(coalesce(counts.{{ measure }}, 0) as bigint) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from grid
    left join counts
        on counts.month_start = grid.month_start
        and (counts.ward_code = grid.ward_code or (counts.ward_code is null and grid.ward_code is null))
)

select * from final
