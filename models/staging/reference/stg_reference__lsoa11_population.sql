{#- ONS population estimates per 2011 LSOA, one row per LSOA and mid-year, from every vintage the hub holds. The
    single-year-of-age files give the 15-24-year-olds (the VLI's young people); the mid-2020 file has broad bands
    only (16-29), so it leaves them unknown rather than guessed. -#}
{%- set young = range(15, 25) -%}

with mid_2016 as (
    select
        lsoa11cd,
        2016 as mid_year,
        population,
        {% for age in young %}age_{{ age }}{{ ' + ' if not loop.last }}{% endfor %} as aged_15_to_24,
        'ONS mid-2016 LSOA estimates, single year of age' as population_source,
        load_id
    from {{ source('reference', 'population_mid2016') }}
),

mid_2019 as (
    select
        lsoa11cd,
        2019 as mid_year,
        population,
        {% for age in young %}age_{{ age }}{{ ' + ' if not loop.last }}{% endfor %} as aged_15_to_24,
        'ONS mid-2019 LSOA estimates (SAPE22DT2), single year of age' as population_source,
        load_id
    from {{ source('reference', 'population_mid2019') }}
),

-- counts carry thousands separators ("1,944")
mid_2020 as (
    select
        lsoa11cd,
        2020 as mid_year,
        cast(replace(all_ages, ',', '') as bigint) as population,
        cast(null as bigint) as aged_15_to_24,
        'ONS mid-2020 LSOA estimates, broad age bands' as population_source,
        load_id
    from {{ source('reference', 'population_mid2020') }}
),

unioned as (
    select * from mid_2016
    union all
    select * from mid_2019
    union all
    select * from mid_2020
)

select * from unioned
