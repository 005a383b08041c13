{#- The open-data set's cells before disclosure control: every ward, month, partner feed and category group of the
    facts, and the probation caseload by home ward, each with the ward's population and whether its feed is
    sensitive (seed open_data_feeds). open_ward_month suppresses them; open_district_month adds them up, so the
    published totals are the sums of exactly these cells. A cell whose district-month the deliveries do not cover
    (int_feed_coverage) has no count, and its coverage says why: it is published blank, never as 0. -#}
with feeds as (
    select * from {{ ref('open_data_feeds') }}
),

incident_cells as (
    select ward_code, district_code, month_start, partner, feed, category_group,
           incident_count as incident_or_offender_count, population, coverage
    from {{ ref('fct_ward_month') }}
),

-- People on the probation caseload whose home is placed in a ward; those not placed count in no ward and no total.
caseload_cells as (
    select
        caseload.ward_code,
        caseload.district_code,
        caseload.month_start,
        feeds.partner,
        feeds.feed,
        feeds.category_label as category_group,
        case when coverage.is_covered then caseload.offenders end as incident_or_offender_count,
        population.population,
        coverage.coverage
    from {{ ref('fct_probation_caseload_ward_month') }} as caseload
    inner join feeds on feeds.partner = 'probation' and feeds.feed = 'caseload'
    left join {{ ref('int_population_ward_year') }} as population
        on population.ward_code = caseload.ward_code
        and population.year = extract(year from caseload.month_start)
    left join {{ ref('int_feed_coverage') }} as coverage
        on coverage.partner = feeds.partner
        and coverage.feed = feeds.feed
        and coverage.month_start = caseload.month_start
        and coverage.district_code = caseload.district_code
    where caseload.is_placed
),

-- A feed missing from the seed has no is_sensitive: the not-null test (not_null_columns) stops the build rather than
-- publish it unjudged.
final as (
    select stacked.*, feeds.is_sensitive
    from (
        select * from incident_cells
        union all
        select * from caseload_cells
    ) as stacked
    left join feeds on feeds.partner = stacked.partner and feeds.feed = stacked.feed
)

select * from final
