with source as (
    select * from {{ source('transport', 'tfgm_incidents') }}
),

categorised as (
    select
        -- keys
        'transport' as partner,
        'tfgm_incidents' as feed,
        source.load_id,
        source.source_row,
        source.incident_ref as source_ref,
        -- what
        source.category as source_category,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        -- when
        source.incident_date as occurred_on,
        source.period_month as occurred_month,
        {{ incident_flags({'is_asb': 'category_map.is_asb'}) }},
        -- where: the LSOA when given, else the stop's point
        source.lsoa_code,
        case when source.lsoa_code is not null then 'lsoa' end as lsoa_source,
        source.longitude,
        source.latitude,
        {{ point_key('source.longitude', 'source.latitude') }} as location_key,
        -- as recorded
        source.incident_time,
        source.mode,
        source.stop_or_route,
        source.sub_category,
        source.reporting_body
    from source
    {{ category_map_join('tfgm_incident', 'source.category', 'source.period_month') }}
)

select * from categorised
