{#- The Vulnerable Localities Index of every LSOA, ward and the reference area (README: The analysts' marts): each input
    indexed to the reference area, averaged within its domain, and the domains averaged with the configured weights.
    The reference area scores exactly 100 on every index, and a VLI above the threshold (200) is a priority area. -#}
with areas as (
    select * from {{ ref('int_vli_inputs_aggregated') }}
),

config as (
    select * from {{ ref('int_vli_config') }}
),

reference as (
    select * from areas where area_level = 'reference'
),

-- Each input indexed to the reference area: I = area value / reference-area value x 100, so 100 is the reference
-- area's own level and 200 twice it. An input the area has no value for, or the reference area has none (or 0)
-- for, has no index.
indexed as (
    select
        areas.area_level,
        areas.area_code,
        100 * areas.dwelling_burglary_rate / nullif(reference.dwelling_burglary_rate, 0)
            as dwelling_burglary_index,
        100 * areas.criminal_damage_dwelling_rate / nullif(reference.criminal_damage_dwelling_rate, 0)
            as criminal_damage_dwelling_index,
        100 * areas.income_score / nullif(reference.income_score, 0) as income_index,
        100 * areas.employment_score / nullif(reference.employment_score, 0) as employment_index,
        100 * areas.aged_15_to_24_pct / nullif(reference.aged_15_to_24_pct, 0) as aged_15_to_24_index,
        100 * areas.education_score / nullif(reference.education_score, 0) as education_index
    from areas
    cross join reference
),

-- One row per area and input, numbered as in the VLI method (inputs 1-6, as in int_vli_scored's description), with the domain the input belongs to.
input_indices as (
    select
        area_level, area_code, 1 as input_number, 'dwelling_burglary_rate' as input, 'crime' as domain,
        dwelling_burglary_index as input_index
    from indexed
    union all
    select area_level, area_code, 2, 'criminal_damage_dwelling_rate', 'crime', criminal_damage_dwelling_index
    from indexed
    union all
    select area_level, area_code, 3, 'income_score', 'deprivation', income_index
    from indexed
    union all
    select area_level, area_code, 4, 'employment_score', 'deprivation', employment_index
    from indexed
    union all
    select area_level, area_code, 5, 'aged_15_to_24_pct', 'young_people', aged_15_to_24_index
    from indexed
    union all
    select area_level, area_code, 6, 'education_score', 'education', education_index
    from indexed
),

-- A domain's index is the plain mean of its inputs' indices; an input without an index is left out of the mean.
domains as (
    select area_level, area_code, domain, avg(input_index) as domain_index
    from input_indices
    where input_index is not null
    group by area_level, area_code, domain
),

weights as (
    select 'crime' as domain, crime_weight as weight from config
    union all
    select 'deprivation', deprivation_weight from config
    union all
    select 'young_people', young_people_weight from config
    union all
    select 'education', education_weight from config
),

-- The VLI is the weighted mean of the domain indices the area has. A domain without an index is left out and the
-- remaining weights are renormalised (divided by their own sum), so the VLI stays on the scale where the
-- reference area is 100.
vli as (
    select
        domains.area_level,
        domains.area_code,
        count(*) as domains_scored,
        max(case when domains.domain = 'crime' then domains.domain_index end) as crime_domain_index,
        max(case when domains.domain = 'deprivation' then domains.domain_index end) as deprivation_domain_index,
        max(case when domains.domain = 'young_people' then domains.domain_index end) as young_people_domain_index,
        max(case when domains.domain = 'education' then domains.domain_index end) as education_domain_index,
        sum(weights.weight * domains.domain_index) / nullif(sum(weights.weight), 0) as vli
    from domains
    inner join weights on weights.domain = domains.domain
    group by domains.area_level, domains.area_code
),

missing as (
    select
        area_level,
        area_code,
        {{ ordered_listagg("case when input_index is null then input end", "', '", "input_number") }}
            as inputs_missing
    from input_indices
    group by area_level, area_code
),

final as (
    select
        -- keys
        areas.area_level,
        areas.area_code,
        -- dimensions
        areas.reference_area_code,
        areas.crime_period,
        areas.crime_months,
        missing.inputs_missing,
        vli.domains_scored,
        -- measures: what the inputs are made of, and the inputs
        areas.lsoa_count,
        areas.lsoas_population_estimated,
        areas.population,
        areas.households,
        areas.aged_15_to_24,
        areas.dwelling_burglaries,
        areas.criminal_damage_dwellings,
        areas.dwelling_burglary_rate,
        areas.criminal_damage_dwelling_rate,
        areas.income_score,
        areas.employment_score,
        areas.aged_15_to_24_pct,
        areas.education_score,
        -- measures: indices (reference area = 100)
        indexed.dwelling_burglary_index,
        indexed.criminal_damage_dwelling_index,
        indexed.income_index,
        indexed.employment_index,
        indexed.aged_15_to_24_index,
        indexed.education_index,
        vli.crime_domain_index,
        vli.deprivation_domain_index,
        vli.young_people_domain_index,
        vli.education_domain_index,
        vli.vli,
        -- measures: the priority rule
        config.priority_threshold,
        vli.vli > config.priority_threshold as is_priority
    from areas
    cross join config
    inner join indexed
        on indexed.area_level = areas.area_level
        and indexed.area_code = areas.area_code
    inner join missing
        on missing.area_level = areas.area_level
        and missing.area_code = areas.area_code
    left join vli
        on vli.area_level = areas.area_level
        and vli.area_code = areas.area_code
)

select * from final
