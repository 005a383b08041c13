{#- The two directories the door geocodes with (loaders/reference.py postcode_lsoas_sql), one row per postcode: a
    delivered directory's own LSOA where it has the postcode, else the LSOA its centroid was placed in. -#}
with directory as (
    select * from {{ source('reference', 'postcode_directory') }}
),

centroids as (
    select * from {{ source('reference', 'postcode_centroids') }}
),

unioned as (
    select
        directory.postcode,
        directory.lsoa_code,
        directory.la_code as district_code,
        'directory' as lsoa_source,
        directory.longitude,
        directory.latitude,
        directory.load_id
    from directory
    union all
    select
        centroids.postcode,
        centroids.lsoa_code,
        cast(null as varchar) as district_code,
        'polygon' as lsoa_source,
        centroids.longitude,
        centroids.latitude,
        centroids.load_id
    from centroids
    where
        centroids.lsoa_code is not null
        and upper(replace(centroids.postcode, ' ', '')) not in (
            select upper(replace(directory.postcode, ' ', '')) from directory
        )
)

select * from unioned
