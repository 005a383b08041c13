with source as (
    select * from {{ source('police', 'stop_search') }}
),

categorised as (
    select
        -- keys (police.uk gives a search no reference)
        'police' as partner,
        'stop_search' as feed,
        source.load_id,
        source.source_row,
        -- what
        source.search_type as source_category,
        coalesce(category_map.category, 'unmapped') as category,
        coalesce(category_map.category_group, 'Unmapped') as category_group,
        -- when: UK local time (the loader converts police.uk's UTC)
        cast(source.searched_at as date) as occurred_on,
        source.period_month as occurred_month,
        -- where: a point only; int_points_placed finds its LSOA
        source.longitude,
        source.latitude,
        -- which place
        {{ point_key('source.longitude', 'source.latitude') }} as location_key,
        -- as published
        source.searched_at,
        source.object_of_search,
        source.legislation,
        source.outcome,
        source.outcome_linked_to_object,
        source.gender,
        source.age_range,
        source.officer_defined_ethnicity,
        source.self_defined_ethnicity
    from source
    {{ category_map_join('stop_search', 'source.search_type', 'source.period_month') }}
)

select * from categorised
