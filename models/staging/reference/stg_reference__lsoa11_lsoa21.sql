with source as (
    select * from {{ source('reference', 'lsoa11_lsoa21') }}
),

renamed as (
    select
        source.lsoa11cd,
        source.lsoa21cd,
        source.lad22cd,
        source.load_id
    from source
)

select * from renamed
