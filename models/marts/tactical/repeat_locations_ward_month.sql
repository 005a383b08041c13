{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ delete_changed_months('month_start', window_months=repeat_window_length()) }}") }}
{#- Rebuilt window by window (macros/incremental.sql): the windows reaching back into a month new loads touched. -#}

-- depends_on: {{ ref('int_changed_months') }}
with incidents as {{ not_materialized() }} (
    select * from {{ ref('fct_incidents') }}
),

config as (
    select repeat_window_months from {{ ref('tactical_config') }}
),

wards as (
    select ward_code, district_code from {{ ref('dim_ward') }}
),

{{ repeat_window_ctes('location_key') }},

-- Each incident with a location key, in its ward.
-- occurred_month: the incident's month, apart from the window's month_start (repeat_window_count_ctes).
events as (
    select partner, feed, month_start as occurred_month, ward_code, location_key
    from read_incidents
    where location_key is not null
        and ward_code is not null
),

-- Every ward and window, zero where no location had an incident.
grid as (
    select wards.ward_code, wards.district_code, windows.partner, windows.feed, windows.month_start,
        windows.window_start_month
    from wards
    cross join windows
),

-- Each location's incidents in a ward within each window: the window's last month and the months before it,
-- repeat_window_months in all; an incident exactly that many months before is outside.
{{ repeat_window_count_ctes(['ward_code'], 'location_key', [2, 3]) }},

final as (
    select
        -- keys
        grid.ward_code,
        grid.month_start,
        grid.partner,
        grid.feed,
        -- dimensions
        grid.district_code,
        grid.window_start_month,
        cast(coverage.months_in_window as bigint) as months_in_window,
        -- measures
        cast(counts.keys as bigint) as locations,
        cast(counts.keys_2_plus as bigint) as locations_2_plus,
        cast(counts.keys_3_plus as bigint) as locations_3_plus,
        cast(counts.incidents as bigint) as incidents_with_location_key,
        cast(counts.incidents_at_2_plus as bigint) as incidents_at_locations_2_plus,
        cast(counts.incidents_at_3_plus as bigint) as incidents_at_locations_3_plus
    from grid
    inner join coverage
        on coverage.partner = grid.partner
        and coverage.feed = grid.feed
        and coverage.month_start = grid.month_start
    inner join window_counts as counts
        on counts.ward_code = grid.ward_code
        and counts.partner = grid.partner
        and counts.feed = grid.feed
        and counts.month_start = grid.month_start
)

select * from final
