with source as (
    select * from {{ source('reference', 'gm_ward22_boundaries') }}
),

renamed as (
    select
        source.wd22cd as ward_code,
        source.wd22nm as ward_name,
        source.boundary_geojson,
        source.load_id
    from source
)

select * from renamed
