{#- police.uk street-level files look the same whoever publishes them (a territorial force, or British Transport
    Police): one staging shape for both, so the two feeds cannot drift apart. -#}
{% macro police_uk_street_staging(source_relation, partner, feed) %}
with source as (
    select * from {{ source_relation }}
),

categorised as (
    select
        -- keys
        '{{ partner }}' as partner,
        '{{ feed }}' as feed,
        source.load_id,
        source.source_row,
        source.crime_ref as source_ref,
        -- what
        source.crime_type as source_category,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        -- when (police.uk gives the month only)
        source.month as occurred_month,
        {{ incident_flags({
            'is_violent': 'category_map.is_violent',
            'is_acquisitive': 'category_map.is_acquisitive',
            'is_asb': 'category_map.is_asb',
            'is_property_crime': 'category_map.is_property_crime'}) }},
        -- where: police.uk's 2011 LSOA of its anonymised snap point
        source.lsoa_code,
        case when source.lsoa_code is not null then 'lsoa' end as lsoa_source,
        source.longitude,
        source.latitude,
        -- which place
        {{ point_key('source.longitude', 'source.latitude') }} as location_key,
        -- as published
        source.reported_by as reporting_force,
        source.falls_within as force_area,
        source.location as location_description,
        source.lsoa_name,
        source.last_outcome_category as outcome
    from source
    {{ category_map_join('police_uk', 'source.crime_type', 'source.month') }}
)

select * from categorised
{% endmacro %}
