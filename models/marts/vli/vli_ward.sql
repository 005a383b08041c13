{#- The Vulnerable Localities Index per 2022 ward, as scored in int_vli_scored; see _vli__models.yml. -#}
with scored as (
    select * from {{ ref('int_vli_scored') }}
    where area_level = 'ward'
),

wards as (
    select * from {{ ref('dim_ward') }}
),

final as (
    select
        -- keys
        scored.area_code as ward_code,
        -- dimensions
        wards.ward_name,
        wards.district_code,
        scored.reference_area_code,
        scored.crime_period,
        cast(scored.crime_months as bigint) as crime_months,
        cast(scored.lsoa_count as bigint) as lsoa_count,
        cast(scored.lsoas_population_estimated as bigint) as lsoas_population_estimated,
        scored.lsoas_population_estimated > 0 as is_population_estimate,
        scored.inputs_missing,
        cast(scored.domains_scored as bigint) as domains_scored,
        scored.is_priority,
        -- measures: what the inputs are made of
        cast(scored.population as double) as population,
        cast(scored.households as double) as households,
        cast(scored.aged_15_to_24 as bigint) as aged_15_to_24,
        cast(scored.dwelling_burglaries as bigint) as dwelling_burglaries,
        cast(scored.criminal_damage_dwellings as bigint) as criminal_damage_dwellings,
        -- measures: the six inputs
        cast(scored.dwelling_burglary_rate as double) as dwelling_burglary_rate,
        cast(scored.criminal_damage_dwelling_rate as double) as criminal_damage_dwelling_rate,
        cast(scored.income_score as double) as income_score,
        cast(scored.employment_score as double) as employment_score,
        cast(scored.aged_15_to_24_pct as double) as aged_15_to_24_pct,
        cast(scored.education_score as double) as education_score,
        -- measures: the indices (reference area = 100)
        cast(scored.dwelling_burglary_index as double) as dwelling_burglary_index,
        cast(scored.criminal_damage_dwelling_index as double) as criminal_damage_dwelling_index,
        cast(scored.income_index as double) as income_index,
        cast(scored.employment_index as double) as employment_index,
        cast(scored.aged_15_to_24_index as double) as aged_15_to_24_index,
        cast(scored.education_index as double) as education_index,
        cast(scored.crime_domain_index as double) as crime_domain_index,
        cast(scored.deprivation_domain_index as double) as deprivation_domain_index,
        cast(scored.young_people_domain_index as double) as young_people_domain_index,
        cast(scored.education_domain_index as double) as education_domain_index,
        cast(scored.vli as double) as vli,
        cast(scored.priority_threshold as double) as priority_threshold
    from scored
    inner join wards on wards.ward_code = scored.area_code
)

select * from final
