with source as (
    select * from {{ source('reference', 'district_csp_pfa') }}
),

renamed as (
    select
        source.ltla24_code as district_code,
        source.ltla24_name as district_name,
        source.csp24_code as csp_code,
        source.csp24_name as csp_name,
        source.pfa24_code as police_force_area_code,
        source.pfa24_name as police_force_area_name,
        source.load_id
    from source
)

select * from renamed
