with wards as (
    select * from {{ ref('stg_reference__ward_districts') }}
),

lsoas as (
    select ward_code, cast(count(*) as bigint) as lsoa_count
    from {{ ref('int_lsoa_ward_lookup') }}
    where lsoa_vintage <> '2011'
    group by ward_code
),

final as (
    select
        wards.wd22cd as ward_code,
        wards.wd22nm as ward_name,
        wards.lad22cd as district_code,
        wards.lad22nm as district_name,
        '2022' as boundary_version,
        coalesce(lsoas.lsoa_count, 0) as lsoa_count
    from wards
    left join lsoas on lsoas.ward_code = wards.wd22cd
)

select * from final
