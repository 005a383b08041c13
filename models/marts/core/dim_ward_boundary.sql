with wards as (
    select * from {{ ref('dim_ward') }}
),

boundaries as (
    select * from {{ ref('stg_reference__ward_boundaries') }}
),

final as (
    select
        wards.ward_code,
        wards.district_code,
        wards.boundary_version,
        boundaries.boundary_geojson
    from wards
    inner join boundaries on boundaries.ward_code = wards.ward_code
)

select * from final
