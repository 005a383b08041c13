with source as (
    select * from {{ source('ambulance', 'callouts') }}
),

categorised as (
    select
        -- keys
        'ambulance' as partner,
        'callouts' as feed,
        source.load_id,
        source.source_row,
        source.attendance_ref as source_ref,
        -- what
        source.category as source_category,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        -- when
        source.call_date as occurred_on,
        source.period_month as occurred_month,
        {{ incident_flags({
            'is_violent': 'category_map.is_violent',
            'is_alcohol_related': "source.is_alcohol_related or source.category = 'Alcohol related'",
            'is_domestic': "source.category = 'Assault - domestic'"}) }},
        -- where: the postcode's LSOA (geocoded at the door), else the point attended
        source.postcode_lsoa_code as lsoa_code,
        case when source.postcode_lsoa_code is not null then 'postcode' end as lsoa_source,
        source.longitude,
        source.latitude,
        -- who and which place
        source.patient_ref as person_key,
        {{ point_key('source.longitude', 'source.latitude') }} as location_key,
        -- as recorded (ISTV items)
        source.call_time,
        source.assault_method,
        source.location_type,
        source.age_band,
        source.sex,
        source.postcode_outward_code
    from source
    {{ category_map_join('ambulance_istv', 'source.category', 'source.period_month') }}
)

select * from categorised
