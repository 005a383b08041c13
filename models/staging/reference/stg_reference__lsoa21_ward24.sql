with source as (
    select * from {{ source('reference', 'lsoa21_ward24') }}
),

renamed as (
    select
        source.lsoa21_code,
        source.ward24_code as ward_code,
        source.ward24_name as ward_name,
        source.ltla24_code as district_code,
        source.ltla24_name as district_name,
        source.load_id
    from source
)

select * from renamed
