with wards as (
    select * from {{ ref('int_area_wards') }}
),

final as (
    select
        district_code,
        district_name,
        {{ area_code() }} as county_code,
        {{ area_name() }} as county_name,
        cast(count(*) as bigint) as ward_count
    from wards
    group by district_code, district_name
)

select * from final
