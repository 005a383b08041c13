{#- Rebuilt month by month (macros/incremental.sql): the months new loads touched, every month of a feed that
    reported a category group the table has not seen, so the new group is zero-filled over all the feed's months,
    and every month whose coverage changed (a re-delivery or a late month moves the recent level later months are
    judged against). -#}
{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ delete_changed_months('month_start', also=months_of_a_covered_grid_to_rebuild()) }}") }}

-- depends_on: {{ ref('int_changed_months') }}
with all_incidents as {{ not_materialized() }} (
    select * from {{ ref('fct_incidents') }}
),

incidents as (
    select all_incidents.*
    from all_incidents
    {{ only_changed_months('all_incidents', 'month_start', also=months_of_a_covered_grid_to_rebuild()) }}
),

counts as (
    select ward_code, month_start, partner, feed, category_group, count(*) as incident_count
    from incidents
    where ward_code is not null
    group by ward_code, month_start, partner, feed, category_group
),

-- Each feed's months and districts, and whether its deliveries cover them (int_feed_coverage): a covered
-- district's wards are zero-filled; a district-month not covered has its rows with no count and the reason.
coverage as (
    select all_coverage.*
    from {{ ref('int_feed_coverage') }} as all_coverage
    {{ only_changed_months('all_coverage', 'month_start', also=months_of_a_covered_grid_to_rebuild()) }}
),

-- Every group a feed has ever reported (Unmapped included), so no incident falls outside the grid.
feed_groups as (
    select distinct partner, feed, category_group from all_incidents
),

wards as (
    select ward_code, district_code from {{ ref('dim_ward') }}
),

population as (
    select * from {{ ref('int_population_ward_year') }}
),

months as (
    select month_start, financial_year from {{ ref('dim_month') }}
),

grid as (
    select
        wards.ward_code,
        wards.district_code,
        months.month_start,
        months.financial_year,
        feed_groups.partner,
        feed_groups.feed,
        feed_groups.category_group,
        coverage.coverage,
        coverage.is_covered
    from feed_groups
    inner join coverage
        on coverage.partner = feed_groups.partner
        and coverage.feed = feed_groups.feed
    inner join months on months.month_start = coverage.month_start
    inner join wards on wards.district_code = coverage.district_code
),

final as (
    select
        -- keys
        grid.ward_code,
        grid.month_start,
        grid.partner,
        grid.feed,
        grid.category_group,
        -- dimensions
        grid.district_code,
        grid.financial_year,
        -- coverage
        grid.coverage,
        grid.is_covered,
        -- measures: none where the deliveries do not cover the district's month (null, never 0)
        cast(case when grid.is_covered then coalesce(counts.incident_count, 0) end as bigint) as incident_count,
        -- denominators of the calendar year of the month (see int_population_ward_year) and the rate
        population.population,
        population.households,
        population.population_is_estimate,
        cast(case when grid.is_covered then 1000.0 * coalesce(counts.incident_count, 0) / population.population end
             as double) as rate_per_1000_population
    from grid
    left join counts
        on counts.ward_code = grid.ward_code
        and counts.month_start = grid.month_start
        and counts.partner = grid.partner
        and counts.feed = grid.feed
        and counts.category_group = grid.category_group
    left join population
        on population.ward_code = grid.ward_code
        and population.year = extract(year from grid.month_start)
)

-- Stored in month order, so DuckDB's row groups each hold a few months and a query of recent months skips the rest
-- (a later build appends the months it rebuilds, in month order, after the rows it keeps, so its row groups span few
-- months too)
select * from final
order by month_start
