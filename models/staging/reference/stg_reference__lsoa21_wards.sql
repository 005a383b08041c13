with source as (
    select * from {{ source('reference', 'lsoa21_wards') }}
),

renamed as (
    select
        source.lsoa21cd,
        source.lsoa21nm,
        source.wd22cd,
        source.wd22nm,
        source.lad22cd,
        source.lad22nm,
        source.load_id
    from source
)

select * from renamed
