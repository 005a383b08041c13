{#- The open-data district table (hub publish --open): the totals open_ward_month's wards add up to. Districts are not
    below district level, so nothing here is suppressed (DOMAIN.md section 4). -#}
with feeds as (
    select * from {{ ref('open_data_feeds') }}
),

incident_totals as (
    select district_code, month_start, partner, feed, category_group, incident_count as total, population
    from {{ ref('fct_district_month') }}
),

caseload_totals as (
    select
        caseload.district_code,
        caseload.snapshot_month as month_start,
        feeds.partner,
        feeds.feed,
        feeds.category_label as category_group,
        sum(caseload.offenders) as total,
        sum(population.population) as population
    from {{ ref('fct_probation_caseload_ward_month') }} as caseload
    inner join feeds on feeds.partner = 'probation' and feeds.feed = 'caseload'
    left join {{ ref('int_population_ward_year') }} as population
        on population.ward_code = caseload.ward_code
        and population.year = extract(year from caseload.snapshot_month)
    where caseload.is_placed
    group by caseload.district_code, caseload.snapshot_month, feeds.partner, feeds.feed, feeds.category_label
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
        -- measures
        cast(totals.total as bigint) as count,
        totals.population,
        cast(1000.0 * totals.total / nullif(totals.population, 0) as double) as rate_per_1000_population,
        feeds.is_sensitive
    from (
        select * from incident_totals
        union all
        select * from caseload_totals
    ) as totals
    inner join {{ ref('dim_district') }} as districts on districts.district_code = totals.district_code
    left join feeds on feeds.partner = totals.partner and feeds.feed = totals.feed
)

select * from final
