with source as (
    select * from {{ source('reference', 'postcode_directory') }}
),

renamed as (
    select
        source.postcode,
        source.lsoa_code,
        source.la_code as district_code,
        source.longitude,
        source.latitude,
        source.load_id
    from source
)

select * from renamed
