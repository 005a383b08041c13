{#- The open-data district table (hub publish --open): the totals of open_ward_month's cells, before suppression
    (int_open_data_cells). Districts are not below district level, so nothing here is suppressed (README: Open data
    for the public website). -#}
with cells as (
    select * from {{ ref('int_open_data_cells') }}
),

totals as (
    select
        district_code,
        month_start,
        partner,
        feed,
        category_group,
        coverage,
        sum(incident_or_offender_count) as total,
        sum(population) as population,
        bool_and(is_sensitive) as is_sensitive
    from cells
    group by district_code, month_start, partner, feed, category_group, coverage
),

final as (
    select
        -- keys
        totals.district_code,
        totals.month_start,
        totals.partner,
        totals.feed,
        totals.category_group,
        -- dimensions
        districts.district_name,
        -- measures: blank, never 0, where the deliveries do not cover the district's month (coverage says why)
        cast(totals.total as bigint) as incident_or_offender_count,
        totals.population,
        cast(1000.0 * totals.total / nullif(totals.population, 0) as double) as rate_per_1000_population,
        totals.is_sensitive,
        totals.coverage
    from totals
    inner join {{ ref('dim_district') }} as districts on districts.district_code = totals.district_code
)

select * from final
