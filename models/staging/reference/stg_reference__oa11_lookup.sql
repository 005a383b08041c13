with source as (
    select * from {{ source('reference', 'oa11_lookup') }}
),

renamed as (
    select
        source.oa11cd,
        source.lsoa11cd,
        source.lsoa11nm,
        source.msoa11cd,
        source.msoa11nm,
        source.lad11cd,
        source.lad11nm,
        source.load_id
    from source
)

select * from renamed
