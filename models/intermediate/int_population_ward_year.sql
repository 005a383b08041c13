{#- Population and households per 2022 ward and calendar year: the denominators of every rate, from ONS figures.

    Estimates per 2011 LSOA (mid-2016, mid-2019, mid-2020) reach a 2022 ward through the ONS best fit of each 2011
    LSOA to one 2021 LSOA, then that 2021 LSOA's best-fit ward; Census 2021 figures are per 2021 LSOA already. A
    ward takes a vintage only when every LSOA placed in it has a figure in that vintage. Each calendar year takes
    the vintage nearest to it (the earlier of two as near), named in population_year and population_source; the
    population is then an ONS figure, not modelled, so population_is_estimate is false. Households are counted only by the
    census: another year's households are Census 2021 households scaled by the ward's population in that year over
    its census population (households_is_estimate). -#}
with lsoa11_population as (
    select * from {{ ref('stg_reference__lsoa11_population') }}
),

lsoa11_to_lsoa21 as (
    select lsoa11cd, lsoa21cd from {{ ref('stg_reference__lsoa11_lsoa21') }}
),

lsoa21_wards as (
    select lsoa21_code as lsoa21cd, ward_code from {{ ref('int_area_lsoa21_wards') }}
),

census as (
    select * from {{ ref('stg_reference__lsoa21_census2021') }}
),

wards as (
    select ward_code, district_code from {{ ref('dim_ward') }}
),

lsoa11_wards as (
    select lsoa11_to_lsoa21.lsoa11cd, lsoa21_wards.ward_code
    from lsoa11_to_lsoa21
    inner join lsoa21_wards on lsoa21_wards.lsoa21cd = lsoa11_to_lsoa21.lsoa21cd
),

vintages as (
    select distinct mid_year, population_source from lsoa11_population
),

lsoa11_estimates as (
    select
        lsoa11_wards.ward_code,
        vintages.mid_year as estimate_year,
        vintages.population_source,
        'lsoa11_best_fit' as method,
        sum(lsoa11_population.population) as population,
        count(lsoa11_population.lsoa11cd) = count(*) as is_complete
    from lsoa11_wards
    cross join vintages
    left join lsoa11_population
        on lsoa11_population.lsoa11cd = lsoa11_wards.lsoa11cd
        and lsoa11_population.mid_year = vintages.mid_year
    group by lsoa11_wards.ward_code, vintages.mid_year, vintages.population_source
),

census_wards as (
    select
        lsoa21_wards.ward_code,
        sum(census.population) as population,
        sum(census.households) as households,
        count(census.population) = count(*) as is_complete,
        count(census.households) = count(*) as has_households
    from lsoa21_wards
    left join census on census.lsoa21cd = lsoa21_wards.lsoa21cd
    group by lsoa21_wards.ward_code
),

estimates as (
    select ward_code, estimate_year, population_source, method, population
    from lsoa11_estimates
    where is_complete
    union all
    select ward_code, 2021, 'Census 2021 usual residents', 'lsoa21_best_fit', population
    from census_wards
    where is_complete
),

-- The data's calendar years, and the two before the first (a rolling period can start before the data does).
bounds as (
    select min(calendar_year) - 2 as first_year, max(calendar_year) as last_year from {{ ref('dim_month') }}
),

offsets as (
    {{ dbt.generate_series(100) }}
),

years as (
    select bounds.first_year + offsets.generated_number - 1 as year
    from bounds
    cross join offsets
    where bounds.first_year + offsets.generated_number - 1 <= bounds.last_year
),

nearest as (
    select
        wards.ward_code,
        wards.district_code,
        years.year,
        estimates.estimate_year,
        estimates.population_source,
        estimates.method,
        estimates.population,
        row_number() over (
            partition by wards.ward_code, years.year
            order by abs(estimates.estimate_year - years.year), estimates.estimate_year
        ) as preference
    from wards
    cross join years
    inner join estimates on estimates.ward_code = wards.ward_code
),

final as (
    select
        -- keys
        nearest.ward_code,
        nearest.year,
        -- dimensions
        nearest.district_code,
        nearest.estimate_year as source_mid_year,
        nearest.estimate_year as population_year,
        nearest.population_source,
        nearest.method,
        false as population_is_estimate,
        nearest.estimate_year <> 2021 as households_is_estimate,
        -- measures
        cast(nearest.population as double) as population,
        case
            when census_wards.has_households
                then cast(census_wards.households as double) * nearest.population / census_wards.population
        end as households
    from nearest
    left join census_wards on census_wards.ward_code = nearest.ward_code
    where nearest.preference = 1
)

select * from final
