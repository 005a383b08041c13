with ward_month as (
    select * from {{ ref('fct_ward_month') }}
),

final as (
    select
        -- keys
        district_code,
        month_start,
        partner,
        feed,
        category_group,
        -- dimensions
        financial_year,
        -- measures
        cast(sum(incident_count) as bigint) as incident_count
    from ward_month
    group by district_code, month_start, partner, feed, category_group, financial_year
)

select * from final
