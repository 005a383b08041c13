{#- The six VLI inputs for every LSOA, every 2022 ward and the reference area itself, added up from the LSOAs in
    one way at every level. Each input is a ratio of sums: dwelling crimes over households, IMD scores weighted by
    population, 15-24-year-olds over the population they were counted in. So a ward's rate is recomputed from its
    summed counts and households (not averaged from its LSOAs' rates), and the reference area's value is the
    reference area's own rate, computed exactly as a ward's is. -#}
{%- set levels = {'lsoa': 'lsoa_code', 'ward': 'ward_code', 'reference': 'reference_area_code'} -%}

with lsoas as (
    select * from {{ ref('int_vli_inputs_lsoa') }}
),

summed as (
    {%- for level, area_code in levels.items() %}
    select
        '{{ level }}' as area_level,
        {{ area_code }} as area_code,
        reference_area_code,
        crime_period,
        crime_months,
        count(*) as lsoa_count,
        sum(case when population_is_estimate then 1 else 0 end) as lsoas_population_estimated,
        sum(population) as population,
        sum(households) as households,
        sum(dwelling_burglaries) as dwelling_burglaries,
        sum(criminal_damage_dwellings) as criminal_damage_dwellings,
        -- ages are summed only over LSOAs where they are known, and so is the population they are a share of
        sum(aged_15_to_24) as aged_15_to_24,
        sum(case when aged_15_to_24 is not null then population end) as population_with_ages,
        sum(income_score * population) as income_score_x_population,
        sum(employment_score * population) as employment_score_x_population,
        sum(education_score * population) as education_score_x_population
    from lsoas
    group by {{ area_code }}, reference_area_code, crime_period, crime_months
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        -- keys
        area_level,
        area_code,
        -- dimensions
        reference_area_code,
        crime_period,
        crime_months,
        -- measures: what the inputs are made of
        lsoa_count,
        lsoas_population_estimated,
        population,
        households,
        population_with_ages,
        aged_15_to_24,
        dwelling_burglaries,
        criminal_damage_dwellings,
        -- measures: the six inputs. 1-2: per 1,000 households in the crime period; 3, 4 and 6: population-weighted
        -- mean IMD 2015 score; 5: percent of residents aged 15-24
        1000 * cast(dwelling_burglaries as double) / households as dwelling_burglary_rate,
        1000 * cast(criminal_damage_dwellings as double) / households as criminal_damage_dwelling_rate,
        income_score_x_population / population as income_score,
        employment_score_x_population / population as employment_score,
        100 * cast(aged_15_to_24 as double) / population_with_ages as aged_15_to_24_pct,
        education_score_x_population / population as education_score
    from summed
)

select * from final
