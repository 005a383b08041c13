with source as (
    select * from {{ source('reference', 'postcode_centroids') }}
),

renamed as (
    select
        source.postcode,
        source.lsoa_code,
        source.is_on_boundary,
        source.longitude,
        source.latitude,
        source.load_id
    from source
)

select * from renamed
