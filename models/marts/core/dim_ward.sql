with wards as (
    select * from {{ ref('int_area_wards') }}
),

lsoas as (
    select ward_code, cast(count(*) as bigint) as lsoa_count
    from {{ ref('int_lsoa_ward_lookup') }}
    where lsoa_vintage <> '2011'
    group by ward_code
),

final as (
    select
        wards.ward_code,
        wards.ward_name,
        wards.district_code,
        wards.district_name,
        wards.boundary_version,
        coalesce(lsoas.lsoa_count, 0) as lsoa_count
    from wards
    left join lsoas on lsoas.ward_code = wards.ward_code
)

select * from final
