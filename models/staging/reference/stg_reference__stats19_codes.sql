with source as (
    select * from {{ source('reference', 'stats19_codes') }}
),

renamed as (
    select
        source.table_name,
        source.field_name,
        source.code,
        source.label,
        source.load_id
    from source
)

select * from renamed
