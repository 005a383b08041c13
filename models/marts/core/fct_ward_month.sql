with incidents as (
    select * from {{ ref('int_incidents_unioned') }}
    where ward_code is not null
),

counts as (
    select ward_code, occurred_month as month_start, category_group, count(*) as incident_count
    from incidents
    group by ward_code, occurred_month, category_group
),

wards as (
    select ward_code, district_code from {{ ref('dim_ward') }}
),

months as (
    select month_start, financial_year from {{ ref('dim_month') }}
),

-- Every group the map knows, plus any in the data (Unmapped), so no incident falls outside the grid.
category_groups as (
    select category_group from {{ ref('category_map') }}
    union
    select category_group from incidents
),

grid as (
    select wards.ward_code, wards.district_code, months.month_start, months.financial_year, category_groups.category_group
    from wards
    cross join months
    cross join category_groups
),

final as (
    select
        -- keys
        grid.ward_code,
        grid.month_start,
        grid.category_group,
        -- dimensions
        grid.district_code,
        grid.financial_year,
        -- measures
        cast(coalesce(counts.incident_count, 0) as bigint) as incident_count
    from grid
    left join counts
        on counts.ward_code = grid.ward_code
        and counts.month_start = grid.month_start
        and counts.category_group = grid.category_group
)

select * from final
