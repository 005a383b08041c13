{#- Rebuilt month by month (macros/incremental.sql): the months new loads touched, and every month of a feed that
    reported a category group the table has not seen, so the new group is zero-filled over all the feed's months. -#}
{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ delete_changed_months('month_start', also=months_of_feeds_with_a_new_group()) }}") }}

-- depends_on: {{ ref('int_changed_months') }}
with all_incidents as (
    select * from {{ ref('int_incidents_unioned') }}
),

incidents as (
    select all_incidents.*
    from all_incidents
    {{ only_changed_months('all_incidents', 'occurred_month', also=months_of_feeds_with_a_new_group()) }}
),

counts as (
    select ward_code, occurred_month as month_start, partner, feed, category_group, count(*) as incident_count
    from incidents
    where ward_code is not null
    group by ward_code, occurred_month, partner, feed, category_group
),

-- A feed is zero-filled only over the months it has data for: a month the partner has not delivered (before its
-- first delivery, or a gap) has no rows rather than a misleading 0.
feed_months as (
    select distinct partner, feed, occurred_month as month_start from incidents
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
        feed_groups.category_group
    from feed_groups
    inner join feed_months
        on feed_months.partner = feed_groups.partner
        and feed_months.feed = feed_groups.feed
    inner join months on months.month_start = feed_months.month_start
    cross join wards
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
        -- measures
        cast(coalesce(counts.incident_count, 0) as bigint) as incident_count,
        -- denominators of the calendar year of the month (see int_population_ward_year) and the rate
        population.population,
        population.households,
        population.is_estimate as denominator_is_estimate,
        cast(1000.0 * coalesce(counts.incident_count, 0) / population.population as double) as rate_per_1000_population
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

select * from final
