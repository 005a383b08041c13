with source as (
    select * from {{ source('fire', 'incidents') }}
),

categorised as (
    select
        -- keys
        'fire' as partner,
        'incidents' as feed,
        source.load_id,
        source.source_row,
        source.incident_number as source_ref,
        -- what: the stop code says primary / secondary / chimney fire, false alarm or special service
        source.stop_code_description as source_category,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        -- when
        source.date_of_call as occurred_on,
        source.period_month as occurred_month,
        {{ incident_flags({
            'is_deliberate_fire': "source.incident_group = 'Fire' and source.motive in ('Deliberate', 'Doubtful')",
            'is_dwelling_fire': "category_map.category = 'primary-fire' and source.property_category = 'Dwelling'"}) }},
        cast(source.fatal_casualties as {{ dbt.type_int() }}) as fatal_casualties,
        cast(source.non_fatal_casualties as {{ dbt.type_int() }}) as non_fatal_casualties,
        -- where: the postcode's LSOA (geocoded at the door), else the point, else the service's ward code
        source.postcode_lsoa_code as lsoa_code,
        case when source.postcode_lsoa_code is not null then 'postcode' end as lsoa_source,
        source.ward_code as partner_ward_code,
        source.borough_code as partner_district_code,
        source.longitude,
        source.latitude,
        -- which place: the property's pseudonymised UPRN, else the point
        coalesce(source.uprn, {{ point_key('source.longitude', 'source.latitude') }}) as location_key,
        -- as recorded
        source.incident_group,
        source.motive,
        source.property_category,
        source.property_type,
        source.special_service_type,
        source.postcode_outward_code,
        source.frs as fire_service,
        source.station_ground,
        source.first_pump_attendance_seconds,
        source.pumps_attending
    from source
    {{ category_map_join('fire_stop_code', 'source.stop_code_description', 'source.period_month') }}
)

select * from categorised
