{#- Census 2021 per 2021 LSOA: usual residents and households, the only household counts the hub has. -#}
with residents as (
    select lsoa21cd, population, load_id from {{ source('reference', 'census2021_residents') }}
),

households as (
    select lsoa21cd, households from {{ source('reference', 'census2021_households') }}
),

joined as (
    select
        residents.lsoa21cd,
        2021 as census_year,
        residents.population,
        households.households,
        residents.load_id
    from residents
    left join households on households.lsoa21cd = residents.lsoa21cd
)

select * from joined
