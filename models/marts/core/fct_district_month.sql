with ward_month as (
    select * from {{ ref('fct_ward_month') }}
),

population as (
    select
        district_code,
        year,
        sum(population) as population,
        sum(households) as households,
        max(case when population_is_estimate then 1 else 0 end) = 1 as population_is_estimate
    from {{ ref('int_population_ward_year') }}
    group by district_code, year
),

-- A district's wards share its coverage, so a district-month not covered sums to null, never 0.
counts as (
    select district_code, month_start, partner, feed, category_group, financial_year, coverage, is_covered,
           sum(incident_count) as incident_count
    from ward_month
    group by district_code, month_start, partner, feed, category_group, financial_year, coverage, is_covered
),

final as (
    select
        -- keys
        counts.district_code,
        counts.month_start,
        counts.partner,
        counts.feed,
        counts.category_group,
        -- dimensions
        counts.financial_year,
        -- coverage
        counts.coverage,
        counts.is_covered,
        -- measures: none where the deliveries do not cover the district's month
        cast(counts.incident_count as bigint) as incident_count,
        -- denominators of the calendar year of the month, summed from the district's wards, and the rate
        cast(population.population as double) as population,
        cast(population.households as double) as households,
        population.population_is_estimate,
        cast(1000.0 * counts.incident_count / population.population as double) as rate_per_1000_population
    from counts
    left join population
        on population.district_code = counts.district_code
        and population.year = extract(year from counts.month_start)
)

select * from final
