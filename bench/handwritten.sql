-- The hub's main marts written by hand, as an analyst would without dbt: one DuckDB script that reads the raw
-- tables of a working database (the partners' feeds and the reference data the hub loaded) and the seed CSVs (paths
-- relative to the repository: run it with
-- file_search_path set there) and writes handwritten.fct_ward_month, handwritten.fct_district_month and
-- handwritten.kpi_crime_rate (KPI crime_rate by district and financial year). Same grain, columns and values as
-- the dbt models; what they mean is explained there (models/marts/core, models/intermediate). Which district-months
-- the deliveries cover is read from the hub's intermediate.int_feed_coverage, an input here like the seeds.

create schema if not exists handwritten;

-- A month's financial year (April - March) as published, '2016/17': three months back lines April up with January.
create or replace temp macro financial_year(month_start) as
    strftime(month_start - interval 3 month, '%Y') || '/' || strftime(month_start + interval 9 month, '%y');

-- Each 2022 ward with its district.
create or replace temp table wards as
select wd22cd as ward_code, lad22cd as district_code from raw.reference_ward_districts;

-- Each ward's ONS populations: 2011-LSOA estimates through the ONS 2011 -> 2021 best fit and the 2021 LSOA -> ward
-- best fit, and Census 2021 residents; a vintage counts for a ward only if it covers every LSOA placed there.
-- Households are Census 2021's, scaled by the ward's population over its census population.
create or replace temp table ward_estimates as
with lsoa11_population as (
    select lsoa11cd, 2016 as mid_year, population from raw.reference_population_mid2016
    union all
    select lsoa11cd, 2019, population from raw.reference_population_mid2019
    union all
    select lsoa11cd, 2020, cast(replace(all_ages, ',', '') as bigint) from raw.reference_population_mid2020
),

lsoa11_wards as (
    select lookup.lsoa11cd, best_fit.wd22cd as ward_code
    from raw.reference_lsoa11_lsoa21 as lookup
    inner join raw.reference_lsoa21_wards as best_fit on best_fit.lsoa21cd = lookup.lsoa21cd
),

lsoa11_estimates as (
    select lsoa11_wards.ward_code, vintages.mid_year as estimate_year, sum(lsoa11_population.population) as population
    from lsoa11_wards
    cross join (select distinct mid_year from lsoa11_population) as vintages
    left join lsoa11_population
        on lsoa11_population.lsoa11cd = lsoa11_wards.lsoa11cd and lsoa11_population.mid_year = vintages.mid_year
    group by all
    having count(lsoa11_population.lsoa11cd) = count(*)
),

census as (
    select best_fit.wd22cd as ward_code, sum(residents.population) as population, sum(households.households) as households
    from raw.reference_lsoa21_wards as best_fit
    left join raw.reference_census2021_residents as residents on residents.lsoa21cd = best_fit.lsoa21cd
    left join raw.reference_census2021_households as households on households.lsoa21cd = best_fit.lsoa21cd
    group by all
)

select lsoa11_estimates.ward_code, lsoa11_estimates.estimate_year, lsoa11_estimates.population,
       census.population as census_population, census.households as census_households
from lsoa11_estimates
inner join census on census.ward_code = lsoa11_estimates.ward_code
union all
select ward_code, 2021, population, population, households from census;

-- LSOA -> ward: the 2021 best fit; a 2011 LSOA whose code did not survive follows the 2021 LSOA holding most of its
-- output areas (a tie goes to the lowest code).
create or replace temp table lsoa_wards as
with best_fit as (
    select lsoa21cd as lsoa_code, wd22cd as ward_code, lad22cd as district_code
    from raw.reference_lsoa21_wards
),

successors as (
    select oa11.lsoa11cd as lsoa_code, oa21.lsoa21cd as successor_code
    from raw.reference_oa11_lookup as oa11
    inner join raw.reference_oa21_lookup as oa21 on oa21.oa21cd = oa11.oa11cd
    where oa11.lsoa11cd not in (select lsoa_code from best_fit)
    group by oa11.lsoa11cd, oa21.lsoa21cd
    qualify row_number() over (partition by oa11.lsoa11cd order by count(*) desc, oa21.lsoa21cd) = 1
)

select * from best_fit
union all
select successors.lsoa_code, best_fit.ward_code, best_fit.district_code
from successors
inner join best_fit on best_fit.lsoa_code = successors.successor_code;

-- Every event of every incident feed: its month, category group and whatever place it came with. Categories are
-- mapped through the category_map seed by the event's month; police recorded crime through its Home Office code.
create or replace temp table events as
with categories as (
    select taxonomy, source_category, category_group, valid_from, valid_to
    from read_csv('seeds/category_map.csv')
    union all
    select 'ho_offence_code', ho_offence_code, category_group, null, null
    from read_csv('seeds/police/ho_offence_codes.csv')
),

collision_severities as (
    select code, label from raw.reference_stats19_codes
    where table_name = 'collision' and field_name = 'collision_severity'
),

stacked as (
    select 'police' as partner, 'street_crime' as feed, 'police_uk' as taxonomy, crime_type as source_category,
           month as occurred_month, lsoa_code, longitude, latitude, null as partner_ward_code
    from raw.police_street_crime
    union all
    select 'police', 'stop_search', 'stop_search', search_type, period_month, null, longitude, latitude, null
    from raw.police_stop_search
    union all
    select 'police', 'recorded_crime', 'ho_offence_code', ho_offence_code, period_month, lsoa_code,
           longitude, latitude, null
    from raw.police_recorded_crime
    union all
    select 'fire', 'incidents', 'fire_stop_code', stop_code_description, period_month, postcode_lsoa_code,
           longitude, latitude, ward_code
    from raw.fire_incidents
    union all
    select 'ambulance', 'callouts', 'ambulance_istv', category, period_month, postcode_lsoa_code,
           longitude, latitude, null
    from raw.ambulance_callouts
    union all
    select 'transport', 'btp_street_crime', 'police_uk', crime_type, month, lsoa_code, longitude, latitude, null
    from raw.transport_btp_street_crime
    union all
    -- a collision is categorised by its severity's label; DfT writes '-1' for a missing LSOA
    select 'transport', 'stats19_collisions', 'stats19_severity', severity.label, collision.period_month,
           nullif(collision.lsoa_code, '-1'), collision.longitude, collision.latitude, null
    from raw.transport_stats19_collisions as collision
    left join collision_severities as severity on severity.code = collision.accident_severity
    union all
    select 'transport', 'tfgm_incidents', 'tfgm_incident', category, period_month, lsoa_code, longitude, latitude, null
    from raw.transport_tfgm_incidents
)

select
    stacked.partner,
    stacked.feed,
    stacked.occurred_month,
    coalesce(categories.category_group, 'Unmapped') as category_group,
    stacked.lsoa_code,
    stacked.longitude,
    stacked.latitude,
    stacked.partner_ward_code
from stacked
left join categories
    on categories.taxonomy = stacked.taxonomy
    and categories.source_category = stacked.source_category
    and stacked.occurred_month between coalesce(categories.valid_from, date '1900-01-01')
                                   and coalesce(categories.valid_to, date '9999-12-31');

-- A point that came without an LSOA takes the 2021 LSOA whose polygon contains it or whose edge it lies on (on the
-- edge between two, the lower code); a point in no polygon has none. Needs DuckDB's spatial extension loaded.
create or replace temp table point_lsoas as
with points as (
    select distinct longitude, latitude from events
    where lsoa_code is null and longitude is not null and latitude is not null
),

polygons as (
    select lsoa21cd as lsoa_code, ST_MakeValid(ST_GeomFromGeoJSON(boundary_geojson)) as shape
    from raw.reference_gm_lsoa21_boundaries
    union all
    select lsoa21cd, ST_MakeValid(ST_GeomFromGeoJSON(boundary_geojson)) from raw.reference_lsoa21_boundaries
    where lsoa21cd not in (select lsoa21cd from raw.reference_gm_lsoa21_boundaries)
)

select points.longitude, points.latitude, min(polygons.lsoa_code) as lsoa_code
from points
inner join polygons on ST_Intersects(polygons.shape, ST_Point(points.longitude, points.latitude))
group by points.longitude, points.latitude;

-- Every event in its ward and district: by its own LSOA, else its point's, else the partner's ward code when that
-- is a Greater Manchester ward. The rest (outside Greater Manchester, or nowhere) keep a null ward. The joins are on
-- equality only, so they hash: a condition on one side alone in a join's ON makes DuckDB loop over pairs.
create or replace temp table incidents as
with located as (
    select events.*, coalesce(events.lsoa_code, point_lsoas.lsoa_code) as placed_lsoa_code
    from events
    left join point_lsoas
        on point_lsoas.longitude = events.longitude
        and point_lsoas.latitude = events.latitude
)

select
    located.partner,
    located.feed,
    located.occurred_month as month_start,
    located.category_group,
    case when located.placed_lsoa_code is null then partner_ward.ward_code else lsoa_wards.ward_code end as ward_code,
    case when located.placed_lsoa_code is null then partner_ward.district_code else lsoa_wards.district_code end
        as district_code
from located
left join lsoa_wards on lsoa_wards.lsoa_code = located.placed_lsoa_code
left join wards as partner_ward on partner_ward.ward_code = located.partner_ward_code;

-- Each ward's population and households in every calendar year the facts and KPIs divide by: the nearest estimate
-- (the earlier of two as near).
create or replace temp table ward_years as
with months as (
    select month_start from incidents
    union
    select month_start from intermediate.int_feed_coverage
),

years as (
    select distinct year(month_start) as year from months
    union
    select distinct year(month_start - interval 3 month) from months
)

select wards.ward_code, wards.district_code, years.year, cast(estimates.population as double) as population,
       estimates.census_households * estimates.population / estimates.census_population as households
from wards
cross join years
inner join ward_estimates as estimates on estimates.ward_code = wards.ward_code
qualify row_number() over (partition by wards.ward_code, years.year
                           order by abs(estimates.estimate_year - years.year), estimates.estimate_year) = 1;

-- Counts per ward, month, feed and category group, over every group a feed has reported and every district-month
-- of its coverage: zero-filled where the deliveries cover it, null (never 0) where they do not.
create or replace table handwritten.fct_ward_month as
with counts as (
    select ward_code, month_start, partner, feed, category_group, count(*) as incident_count
    from incidents
    where ward_code is not null
    group by all
),

feed_groups as (
    select distinct partner, feed, category_group from incidents
)

select
    wards.ward_code,
    coverage.month_start,
    feed_groups.partner,
    feed_groups.feed,
    feed_groups.category_group,
    wards.district_code,
    financial_year(coverage.month_start) as financial_year,
    coverage.coverage,
    coverage.is_covered,
    case when coverage.is_covered then coalesce(counts.incident_count, 0) end as incident_count,
    ward_years.population,
    ward_years.households,
    false as population_is_estimate,
    case when coverage.is_covered then 1000.0 * coalesce(counts.incident_count, 0) / ward_years.population end
        as rate_per_1000_population
from feed_groups
inner join intermediate.int_feed_coverage as coverage
    on coverage.partner = feed_groups.partner and coverage.feed = feed_groups.feed
inner join wards on wards.district_code = coverage.district_code
inner join ward_years on ward_years.ward_code = wards.ward_code and ward_years.year = year(coverage.month_start)
left join counts
    on counts.ward_code = wards.ward_code
    and counts.month_start = coverage.month_start
    and counts.partner = feed_groups.partner
    and counts.feed = feed_groups.feed
    and counts.category_group = feed_groups.category_group;

-- The same, summed over each district's wards (the grid holds every ward, so the populations add up too).
create or replace table handwritten.fct_district_month as
select
    district_code,
    month_start,
    partner,
    feed,
    category_group,
    financial_year,
    coverage,
    is_covered,
    cast(sum(incident_count) as bigint) as incident_count,
    sum(population) as population,
    sum(households) as households,
    bool_or(population_is_estimate) as population_is_estimate,
    1000.0 * sum(incident_count) / sum(population) as rate_per_1000_population
from handwritten.fct_ward_month
group by district_code, month_start, partner, feed, category_group, financial_year, coverage, is_covered;

-- KPI crime_rate: police recorded crimes per 1,000 people, by district and financial year, over the months the
-- deliveries cover each district (a year with none has no row); the denominator is the population of the year the
-- financial year begins in.
create or replace table handwritten.kpi_crime_rate as
with covered_months as (
    select district_code, month_start, financial_year(month_start) as period_label
    from intermediate.int_feed_coverage
    where partner = 'police' and feed = 'recorded_crime' and is_covered
),

years as (
    select district_code, period_label, count(*) as months_with_data
    from covered_months
    group by all
),

counts as (
    select covered_months.district_code, covered_months.period_label, count(*) as measure_total
    from incidents
    inner join covered_months
        on covered_months.district_code = incidents.district_code
        and covered_months.month_start = incidents.month_start
    where incidents.partner = 'police' and incidents.feed = 'recorded_crime'
    group by all
),

districts as (
    select district_code, year, sum(population) as population from ward_years group by district_code, year
)

select
    'crime_rate' as kpi_id,
    'district' as level,
    districts.district_code as area_code,
    'financial_year' as period_type,
    years.period_label,
    years.months_with_data,
    coalesce(counts.measure_total, 0) as measure_total,
    districts.population as denominator,
    coalesce(counts.measure_total, 0) * 1000.0 / districts.population as rate
from years
inner join districts
    on districts.district_code = years.district_code
    and districts.year = cast(left(years.period_label, 4) as integer)
left join counts on counts.district_code = years.district_code and counts.period_label = years.period_label;
