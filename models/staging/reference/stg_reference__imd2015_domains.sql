with source as (
    select * from {{ source('reference', 'imd2015_domains') }}
),

renamed as (
    select
        source.lsoa11cd,
        source.index_domain,
        source.decile,
        source.rank,
        source.score,
        source.load_id
    from source
)

select * from renamed
