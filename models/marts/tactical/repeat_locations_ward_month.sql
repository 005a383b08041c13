{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ delete_changed_months('month_start', window_months=repeat_window_length()) }}") }}
{#- Rebuilt window by window (macros/incremental.sql): the windows reaching back into a month new loads touched. -#}

-- depends_on: {{ ref('int_changed_months') }}
with incidents as (
    select * from {{ ref('fct_incidents') }}
),

config as (
    select repeat_window_months from {{ ref('tactical_config') }}
),

wards as (
    select ward_code, district_code from {{ ref('dim_ward') }}
),

{{ repeat_window_ctes('location_key') }},

-- Each location's incidents in a ward within each window: the window's last month and the months before it,
-- repeat_window_months in all; an incident exactly that many months before is outside.
location_windows as (
    select
        windows.partner,
        windows.feed,
        windows.month_start,
        incidents.ward_code,
        incidents.location_key,
        count(*) as incidents
    from window_months as windows
    inner join incidents
        on incidents.partner = windows.partner
        and incidents.feed = windows.feed
        and incidents.occurred_month = windows.occurred_month
    where incidents.location_key is not null
        and incidents.ward_code is not null
    group by windows.partner, windows.feed, windows.month_start, incidents.ward_code, incidents.location_key
),

counts as (
    select
        partner,
        feed,
        month_start,
        ward_code,
        count(*) as locations,
        sum(case when incidents >= 2 then 1 else 0 end) as locations_2_plus,
        sum(case when incidents >= 3 then 1 else 0 end) as locations_3_plus,
        sum(incidents) as incidents_with_location_key,
        sum(case when incidents >= 2 then incidents else 0 end) as incidents_at_locations_2_plus,
        sum(case when incidents >= 3 then incidents else 0 end) as incidents_at_locations_3_plus
    from location_windows
    group by partner, feed, month_start, ward_code
),

-- Every ward and window, zero where no location had an incident.
grid as (
    select wards.ward_code, wards.district_code, windows.partner, windows.feed, windows.month_start,
        windows.window_start_month
    from wards
    cross join windows
),

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
        cast(coalesce(counts.locations, 0) as bigint) as locations,
        cast(coalesce(counts.locations_2_plus, 0) as bigint) as locations_2_plus,
        cast(coalesce(counts.locations_3_plus, 0) as bigint) as locations_3_plus,
        cast(coalesce(counts.incidents_with_location_key, 0) as bigint) as incidents_with_location_key,
        cast(coalesce(counts.incidents_at_locations_2_plus, 0) as bigint) as incidents_at_locations_2_plus,
        cast(coalesce(counts.incidents_at_locations_3_plus, 0) as bigint) as incidents_at_locations_3_plus
    from grid
    inner join coverage
        on coverage.partner = grid.partner
        and coverage.feed = grid.feed
        and coverage.month_start = grid.month_start
    left join counts
        on counts.ward_code = grid.ward_code
        and counts.partner = grid.partner
        and counts.feed = grid.feed
        and counts.month_start = grid.month_start
)

select * from final
