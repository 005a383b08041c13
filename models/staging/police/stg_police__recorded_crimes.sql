with source as (
    select * from {{ source('police', 'recorded_crime') }}
),

offence_codes as (
    select * from {{ ref('ho_offence_codes') }}
),

categorised as (
    select
        -- keys
        'police' as partner,
        'recorded_crime' as feed,
        source.load_id,
        source.source_row,
        source.crime_ref as source_ref,
        -- what: the Home Office offence code decides the category and the NI flags
        source.ho_offence_code as source_category,
        coalesce(offence_codes.category, 'unmapped') as category,
        coalesce(offence_codes.category_group, 'Unmapped') as category_group,
        -- when: counted in the month recorded, as Home Office recorded-crime statistics are
        source.occurred_on,
        source.period_month as occurred_month,
        {{ incident_flags({
            'is_violent': 'offence_codes.is_violent',
            'is_acquisitive': 'offence_codes.is_acquisitive',
            'is_property_crime': 'offence_codes.is_property_crime',
            'is_serious_violence': 'offence_codes.is_serious_violence',
            'is_serious_acquisitive': 'offence_codes.is_serious_acquisitive',
            'is_assault_with_injury': 'offence_codes.is_assault_with_injury',
            'is_dwelling_burglary': 'offence_codes.is_dwelling_burglary',
            'is_criminal_damage_dwelling': 'offence_codes.is_criminal_damage_dwelling',
            'is_alcohol_related': 'source.is_alcohol_related',
            'is_domestic': 'source.is_domestic'}) }},
        -- where
        source.lsoa_code,
        case when source.lsoa_code is not null then 'lsoa' end as lsoa_source,
        source.longitude,
        source.latitude,
        -- who and which place: pseudonyms made at the door
        source.victim_ref as person_key,
        coalesce(source.location_ref, {{ point_key('source.longitude', 'source.latitude') }}) as location_key,
        -- the suspect, when one is named (pseudonymised at the door)
        source.suspect_ref as suspect_key,
        -- as recorded
        source.recorded_on,
        source.occurred_at,
        source.offence_description
    from source
    left join offence_codes on offence_codes.ho_offence_code = source.ho_offence_code
)

select * from categorised
