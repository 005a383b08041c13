with source as (
    select * from {{ source('police', 'street_crime') }}
),

category_map as (
    select * from {{ ref('category_map') }}
    where feed = 'street_crime'
),

renamed as (
    select
        load_id,
        source_row,
        crime_ref,
        month as occurred_month,
        reported_by as reporting_force,
        falls_within as force_area,
        longitude,
        latitude,
        location as location_description,
        lsoa_code,
        lsoa_name,
        crime_type as source_category,
        last_outcome_category as outcome
    from source
),

categorised as (
    select
        -- keys
        renamed.load_id,
        renamed.source_row,
        renamed.crime_ref,
        -- when and where
        renamed.occurred_month,
        renamed.reporting_force,
        renamed.force_area,
        renamed.longitude,
        renamed.latitude,
        renamed.location_description,
        renamed.lsoa_code,
        renamed.lsoa_name,
        -- what
        renamed.source_category,
        renamed.outcome,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        coalesce(category_map.is_violent, false) as is_violent,
        coalesce(category_map.is_acquisitive, false) as is_acquisitive,
        coalesce(category_map.is_asb, false) as is_asb,
        coalesce(category_map.is_property_crime, false) as is_property_crime
    from renamed
    left join category_map
        on category_map.source_category = renamed.source_category
        and renamed.occurred_month >= coalesce(category_map.valid_from, cast('1900-01-01' as date))
        and renamed.occurred_month <= coalesce(category_map.valid_to, cast('9999-12-31' as date))
)

select * from categorised
