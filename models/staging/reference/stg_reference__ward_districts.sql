with source as (
    select * from {{ source('reference', 'ward_districts') }}
),

renamed as (
    select
        source.wd22cd,
        source.wd22nm,
        source.lad22cd,
        source.lad22nm,
        source.load_id
    from source
)

select * from renamed
