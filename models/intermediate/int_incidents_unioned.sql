{#- One canonical incident shape for every partner feed (DESIGN.md section 5). Police street crime only, so far. -#}
with police_street as (
    select
        'police' as partner,
        'street_crime' as feed,
        load_id,
        source_row,
        crime_ref as source_ref,
        source_category,
        cast(null as date) as occurred_on,
        occurred_month,
        category,
        category_group,
        is_violent,
        is_acquisitive,
        is_asb,
        is_property_crime,
        lsoa_code,
        cast(null as {{ dbt.type_string() }}) as person_key,
        case
            when longitude is not null
                then {{ dbt.hash(dbt.concat(["cast(longitude as " ~ dbt.type_string() ~ ")", "','", "cast(latitude as " ~ dbt.type_string() ~ ")"])) }}
        end as location_key
    from {{ ref('stg_police__street_crimes') }}
),

incidents as (
    select * from police_street
),

lsoa_lookup as (
    select * from {{ ref('int_lsoa_ward_lookup') }}
),

placed as (
    select
        -- keys
        {{ dbt.hash(dbt.concat(["incidents.partner", "'|'", "incidents.feed", "'|'",
                                "cast(incidents.load_id as " ~ dbt.type_string() ~ ")", "'|'",
                                "cast(incidents.source_row as " ~ dbt.type_string() ~ ")"])) }} as incident_key,
        incidents.partner,
        incidents.feed,
        incidents.source_ref,
        -- when
        incidents.occurred_on,
        incidents.occurred_month,
        {{ financial_year('incidents.occurred_month') }} as financial_year,
        -- what
        incidents.source_category,
        incidents.category,
        incidents.category_group,
        incidents.is_violent,
        incidents.is_acquisitive,
        incidents.is_asb,
        incidents.is_property_crime,
        -- where
        incidents.lsoa_code,
        lsoa_lookup.ward_code,
        lsoa_lookup.district_code,
        case when incidents.lsoa_code is not null then 'lsoa' else 'unresolved' end as geo_method,
        case when incidents.lsoa_code is not null then lsoa_lookup.lsoa_code is not null end as is_in_gm,
        -- who and which place, pseudonymised
        incidents.person_key,
        incidents.location_key,
        -- lineage
        incidents.load_id,
        incidents.source_row
    from incidents
    left join lsoa_lookup on lsoa_lookup.lsoa_code = incidents.lsoa_code
)

select * from placed
