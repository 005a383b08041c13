with source as (
    select * from {{ source('transport', 'stats19_collisions') }}
),

severity_codes as (
    select cast(code as {{ dbt.type_int() }}) as code, label
    from {{ ref('stg_reference__stats19_codes') }}
    where table_name = 'collision' and field_name = 'collision_severity'
),

categorised as (
    select
        -- keys
        'transport' as partner,
        'stats19_collisions' as feed,
        source.load_id,
        source.source_row,
        source.accident_index as source_ref,
        -- what: a collision takes the severity of its worst casualty (STATS19)
        severity_codes.label as source_category,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        -- when
        source.collision_date as occurred_on,
        source.period_month as occurred_month,
        {{ incident_flags({
            'is_ksi': 'source.accident_severity in (1, 2)',
            'is_fatal': 'source.accident_severity = 1'}) }},
        -- where: DfT's LSOA of the collision ('-1' when missing), else the point
        case when source.lsoa_code <> '-1' then source.lsoa_code end as lsoa_code,
        case when source.lsoa_code <> '-1' then 'lsoa' end as lsoa_source,
        source.longitude,
        source.latitude,
        {{ point_key('source.longitude', 'source.latitude') }} as location_key,
        -- as recorded
        source.accident_severity as severity_code,
        source.police_force,
        source.collision_time,
        source.number_of_vehicles,
        source.number_of_casualties,
        source.speed_limit,
        source.urban_or_rural_area
    from source
    left join severity_codes on severity_codes.code = source.accident_severity
    {{ category_map_join('stats19_severity', 'severity_codes.label', 'source.period_month') }}
)

select * from categorised
