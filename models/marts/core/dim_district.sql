with wards as (
    select * from {{ ref('stg_reference__ward_districts') }}
),

final as (
    select
        lad22cd as district_code,
        lad22nm as district_name,
        'E11000001' as county_code,
        'Greater Manchester' as county_name,
        cast(count(*) as bigint) as ward_count
    from wards
    group by lad22cd, lad22nm
)

select * from final
