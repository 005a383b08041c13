{#- The raw material of the Vulnerable Localities Index for each 2011 LSOA of the reference area: the dwelling crime
    counts, the population and households they are divided by, the 15-24-year-olds, and the IMD 2015 scores.
    Nothing is divided yet: int_vli_inputs_aggregated turns these into the six inputs, the same way for an LSOA, a
    ward and the reference area. -#}
with config as (
    select * from {{ ref('int_vli_config') }}
),

imd as (
    select * from {{ ref('stg_reference__imd2015_domains') }}
),

-- ONS estimates with single years of age: the only ones that give the 15-24-year-olds
single_year_population as (
    select * from {{ ref('stg_reference__lsoa11_population') }}
    where aged_15_to_24 is not null
),

lookup as (
    select * from {{ ref('int_lsoa_ward_lookup') }}
),

districts as (
    select * from {{ ref('dim_district') }}
),

recorded_crime as {{ not_materialized() }} (
    select * from {{ ref('int_incidents_placed') }}
    where partner = 'police' and feed = 'recorded_crime'
),

-- The three IMD 2015 domain scores the VLI uses (higher = more deprived). Income and employment scores are the
-- share of residents income- or employment-deprived; education is the Education, Skills and Training score.
imd_scores as (
    select
        lsoa11cd as lsoa_code,
        max(case when index_domain = 'Income' then score end) as income_score,
        max(case when index_domain = 'Employment' then score end) as employment_score,
        max(case when index_domain = 'Education, Skills and Training' then score end) as education_score
    from imd
    group by lsoa11cd
),

-- Every GM 2011 LSOA (the IMD scores all 1,673) in the reference area: all of them for Greater Manchester
-- (E11000001), or the LSOAs of one district when the reference area is a district.
lsoas as (
    select
        imd_scores.*,
        lookup.ward_code,
        lookup.district_code,
        config.reference_area_code
    from imd_scores
    inner join lookup on lookup.lsoa_code = imd_scores.lsoa_code
    inner join districts on districts.district_code = lookup.district_code
    cross join config
    where config.reference_area_code in (districts.district_code, districts.county_code)
),

latest_recorded as (
    select max(financial_year) as financial_year from recorded_crime
),

-- The crime period: the financial year set in config, or by default the latest one with any recorded crime
-- (financial-year labels such as '2016/17' sort as their years do). It may be a part year: crime_months says how
-- many of its months the hub holds. Indexing to the reference area over the same months cancels the length out.
crime_period as (
    select
        case when config.crime_period = 'latest' then latest_recorded.financial_year
             else config.crime_period end as financial_year
    from config
    cross join latest_recorded
),

period_crimes as (
    select * from recorded_crime
    where financial_year = (select financial_year from crime_period)
),

-- The single-year-of-age estimate nearest the crime period's first year (the earlier of two as near): mid-2016
-- for 2015/16 to 2017/18, mid-2019 for 2018/19 to 2020/21.
population_year as (
    select mid_year
    from (select distinct mid_year from single_year_population)
    order by abs(mid_year - (select cast(left(financial_year, 4) as integer) from crime_period)), mid_year
    limit 1
),

measured_population as (
    select * from single_year_population
    where mid_year = (select mid_year from population_year)
),

-- An LSOA the estimate does not cover (none in Greater Manchester) is given the mean of the reference area's
-- LSOAs it does cover, flagged; its 15-24-year-olds are not estimated: they stay unknown (null).
mean_population as (
    select avg(cast(measured_population.population as double)) as population
    from measured_population
    inner join lsoas on lsoas.lsoa_code = measured_population.lsoa11cd
),

populated as (
    select
        lsoas.*,
        measured_population.lsoa11cd is null as population_is_estimate,
        (select mid_year from population_year) as population_year,
        cast(coalesce(measured_population.population, mean_population.population) as double) as population,
        measured_population.aged_15_to_24
    from lsoas
    cross join mean_population
    left join measured_population on measured_population.lsoa11cd = lsoas.lsoa_code
),

crime_coverage as (
    select
        (select financial_year from crime_period) as crime_period,
        count(distinct month_start) as crime_months
    from period_crimes
),

crime_counts as (
    select
        lsoa_code,
        sum(case when is_dwelling_burglary then 1 else 0 end) as dwelling_burglaries,
        sum(case when is_criminal_damage_dwelling then 1 else 0 end) as criminal_damage_dwellings
    from period_crimes
    group by lsoa_code
),

final as (
    select
        -- keys
        populated.lsoa_code,
        -- dimensions
        populated.ward_code,
        populated.district_code,
        populated.reference_area_code,
        crime_coverage.crime_period,
        cast(crime_coverage.crime_months as bigint) as crime_months,
        populated.population_is_estimate,
        populated.population_year,
        -- measures: denominators. No household count reaches the hub: households are population / the average
        -- household size.
        populated.population,
        populated.population / config.average_household_size as households,
        cast(populated.aged_15_to_24 as bigint) as aged_15_to_24,
        -- measures: dwelling crime in the crime period; null when the hub holds no recorded crime for the period
        -- (a count of 0 would claim there was none)
        cast(case when crime_coverage.crime_months > 0 then coalesce(crime_counts.dwelling_burglaries, 0) end
            as bigint) as dwelling_burglaries,
        cast(case when crime_coverage.crime_months > 0 then coalesce(crime_counts.criminal_damage_dwellings, 0) end
            as bigint) as criminal_damage_dwellings,
        -- measures: IMD 2015 scores
        populated.income_score,
        populated.employment_score,
        populated.education_score
    from populated
    cross join config
    cross join crime_coverage
    left join crime_counts on crime_counts.lsoa_code = populated.lsoa_code
)

select * from final
