{#- The open-data ward table (hub publish --open): every ward, month, partner feed and category group the facts hold,
    with counts of sensitive feeds (seed open_data_feeds) withheld as macros/suppression.sql says, in groups (the
    district's wards for one month, feed and category) that add up to the district's published total
    (open_district_month). No pseudonyms, no LSOAs, and no label saying which withheld cell was the small one. -#}
{%- set max_count = var('open_data_suppression_max_count') -%}

with cells as (
    select * from {{ ref('int_open_data_cells') }}
),

suppressed as (
    {{ small_number_suppression('cells', 'incident_or_offender_count',
                                ['district_code', 'month_start', 'partner', 'feed', 'category_group'],
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
        case when not suppressed.is_suppressed then suppressed.incident_or_offender_count end as incident_or_offender_count,
        suppressed.population,
        case when not suppressed.is_suppressed
            then cast(1000.0 * suppressed.incident_or_offender_count / nullif(suppressed.population, 0) as double) end as rate_per_1000_population,
        -- blank, never 0, where the partner's deliveries do not cover the district's month: the reason
        suppressed.coverage,
        -- disclosure control
        suppressed.is_sensitive,
        suppressed.is_suppressed
    from suppressed
    inner join {{ ref('dim_ward') }} as wards on wards.ward_code = suppressed.ward_code
    inner join {{ ref('dim_district') }} as districts on districts.district_code = suppressed.district_code
)

select * from final
