{#- The open-data ward table (hub publish --open): every ward, month, partner feed and category group the facts hold,
    with counts of sensitive feeds (seed open_data_feeds) suppressed where small, as macros/suppression.sql says, in
    groups that add up to the district's published total (open_district_month). No pseudonyms, no LSOAs. -#}
{%- set max_count = var('open_data_suppression_max_count') -%}

with feeds as (
    select * from {{ ref('open_data_feeds') }}
),

incident_cells as (
    select ward_code, district_code, month_start, partner, feed, category_group, incident_count as cell_count, population
    from {{ ref('fct_ward_month') }}
),

-- People on the probation caseload whose home is placed in a ward; those not placed count in no ward and no total.
caseload_cells as (
    select
        caseload.ward_code,
        caseload.district_code,
        caseload.snapshot_month as month_start,
        feeds.partner,
        feeds.feed,
        feeds.category_label as category_group,
        caseload.offenders as cell_count,
        population.population
    from {{ ref('fct_probation_caseload_ward_month') }} as caseload
    inner join feeds on feeds.partner = 'probation' and feeds.feed = 'caseload'
    left join {{ ref('int_population_ward_year') }} as population
        on population.ward_code = caseload.ward_code
        and population.year = extract(year from caseload.snapshot_month)
    where caseload.is_placed
),

-- A feed missing from the seed has no is_sensitive: the not_null test stops the build rather than publish it unjudged.
cells as (
    select stacked.*, feeds.is_sensitive
    from (
        select * from incident_cells
        union all
        select * from caseload_cells
    ) as stacked
    left join feeds on feeds.partner = stacked.partner and feeds.feed = stacked.feed
),

suppressed as (
    {{ small_number_suppression('cells', 'cell_count',
                                ['district_code', 'month_start', 'partner', 'feed', 'category_group'], ['ward_code'],
                                'is_sensitive', max_count) }}
),

final as (
    select
        -- keys
        suppressed.ward_code,
        suppressed.month_start,
        suppressed.partner,
        suppressed.feed,
        suppressed.category_group,
        -- dimensions
        wards.ward_name,
        suppressed.district_code,
        districts.district_name,
        -- measures, withheld where suppressed
        case when not suppressed.is_suppressed then suppressed.cell_count end as count,
        suppressed.population,
        case when not suppressed.is_suppressed
            then cast(1000.0 * suppressed.cell_count / nullif(suppressed.population, 0) as double) end as rate_per_1000_population,
        -- disclosure control
        suppressed.is_sensitive,
        suppressed.is_suppressed,
        suppressed.suppression
    from suppressed
    inner join {{ ref('dim_ward') }} as wards on wards.ward_code = suppressed.ward_code
    inner join {{ ref('dim_district') }} as districts on districts.district_code = suppressed.district_code
)

select * from final
