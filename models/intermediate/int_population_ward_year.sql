{#- Population and households per 2022 ward and calendar year: the denominators of every rate.

    The hub's only population figures are Trafford's real mid-2024 LSOA estimates (seed trafford_lsoa_population).
    A ward all of whose 2021 LSOAs are measured takes their sum ('measured'); any other ward is estimated as its
    number of 2021 LSOAs times the mean measured LSOA population ('lsoa_count_x_trafford_mean': LSOAs are drawn to
    hold similar numbers of people, so this is a fair first estimate, but it misses real differences between
    places). The latest measured year stands for every year. Households are population / the average household
    size (var average_household_size). Every figure that is not a measurement of that very year is flagged
    is_estimate. Replace the seed with ONS mid-year estimates for all of Greater Manchester for real use. -#}
{%- set household_size = var('average_household_size') -%}

with lsoa_population as (
    select * from {{ ref('trafford_lsoa_population') }}
),

latest_year as (
    select max(mid_year) as mid_year from lsoa_population
),

measured as (
    select lsoa_code, population
    from lsoa_population
    where mid_year = (select mid_year from latest_year)
),

lsoa_2021 as (
    select lsoa_code, ward_code from {{ ref('int_lsoa_ward_lookup') }}
    where lsoa_vintage <> '2011'
),

measured_wards as (
    select lsoa_2021.ward_code, sum(measured.population) as population, count(*) as lsoas_measured
    from measured
    inner join lsoa_2021 on lsoa_2021.lsoa_code = measured.lsoa_code
    group by lsoa_2021.ward_code
),

mean_lsoa as (
    select avg(cast(population as double)) as population from measured
),

wards as (
    select ward_code, district_code, lsoa_count from {{ ref('dim_ward') }}
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

estimated as (
    select
        wards.ward_code,
        wards.district_code,
        measured_wards.lsoas_measured = wards.lsoa_count as is_measured,
        case
            when measured_wards.lsoas_measured = wards.lsoa_count then cast(measured_wards.population as double)
            else wards.lsoa_count * (select population from mean_lsoa)
        end as population
    from wards
    left join measured_wards on measured_wards.ward_code = wards.ward_code
),

final as (
    select
        -- keys
        estimated.ward_code,
        years.year,
        -- dimensions
        estimated.district_code,
        (select mid_year from latest_year) as source_mid_year,
        case when coalesce(estimated.is_measured, false) then 'measured' else 'lsoa_count_x_trafford_mean' end as method,
        not (coalesce(estimated.is_measured, false) and years.year = (select mid_year from latest_year)) as is_estimate,
        -- measures
        cast(estimated.population as double) as population,
        cast(estimated.population / {{ household_size }} as double) as households
    from estimated
    cross join years
)

select * from final
