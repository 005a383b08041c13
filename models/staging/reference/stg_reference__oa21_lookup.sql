with source as (
    select * from {{ source('reference', 'oa21_lookup') }}
),

renamed as (
    select
        source.oa21cd,
        source.lsoa21cd,
        source.lsoa21nm,
        source.msoa21cd,
        source.msoa21nm,
        source.lad22cd,
        source.lad22nm,
        source.load_id
    from source
)

select * from renamed
