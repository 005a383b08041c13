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

-- The ten districts, and Greater Manchester as one area: most people harmed more than once are harmed in more than
-- one district, so only the GM level counts them as repeats.
areas as (
    select district_code, 'district' as level from {{ ref('dim_district') }}
    union all
    select {{ area_code() }} as district_code, 'gm' as level
),

-- The feeds that say who was involved: a person key on any of their incidents (police recorded-crime victims,
-- ambulance patients).
{{ repeat_window_ctes('person_key') }},

-- Every incident with a person key, placed in a district, in the 'all' scope; domestic abuse again in its own.
-- occurred_month: the incident's month, apart from the window's month_start (repeat_window_count_ctes).
district_events as (
    select partner, feed, district_code, month_start as occurred_month, person_key, 'all' as incident_scope
    from read_incidents
    where person_key is not null and district_code is not null
    union all
    select partner, feed, district_code, month_start as occurred_month, person_key, 'domestic' as incident_scope
    from read_incidents
    where person_key is not null and district_code is not null and is_domestic
),

-- Each incident in its district and again in Greater Manchester.
events as (
    select partner, feed, district_code, occurred_month, person_key, incident_scope from district_events
    union all
    select partner, feed, {{ area_code() }} as district_code, occurred_month, person_key, incident_scope from district_events
),

scopes as (
    select 'all' as incident_scope
    union all
    select 'domestic' as incident_scope
),

-- Every area, window and scope, zero when nobody was involved.
grid as (
    select areas.district_code, areas.level, windows.partner, windows.feed, windows.month_start,
        windows.window_start_month, scopes.incident_scope
    from areas
    cross join windows
    cross join scopes
),

-- Each person's incidents in an area within each window: the window's last month and the months before it,
-- repeat_window_months in all. An incident exactly that many months before (March 2023 for the window ending
-- March 2024) is outside. In a district, incidents are counted where they happened, so a person harmed once in
-- each of two districts is a repeat in neither, but is one in Greater Manchester.
{{ repeat_window_count_ctes(['district_code', 'incident_scope'], 'person_key', [2]) }},

final as (
    select
        -- keys
        grid.district_code,
        grid.month_start,
        grid.partner,
        grid.feed,
        grid.incident_scope,
        -- dimensions
        grid.level,
        grid.window_start_month,
        cast(coverage.months_in_window as bigint) as months_in_window,
        -- measures
        cast(counts.keys as bigint) as people,
        cast(counts.keys_2_plus as bigint) as repeat_people,
        cast(counts.incidents as bigint) as incidents_with_person_key,
        cast(counts.incidents_at_2_plus as bigint) as repeat_incidents,
        -- the repeat victimisation rate: the share of incidents with a person key that happened to repeat people
        cast(case
            when counts.incidents > 0
                then 100.0 * counts.incidents_at_2_plus / counts.incidents
        end as double) as repeat_incident_pct
    from grid
    inner join coverage
        on coverage.partner = grid.partner
        and coverage.feed = grid.feed
        and coverage.month_start = grid.month_start
    inner join window_counts as counts
        on counts.district_code = grid.district_code
        and counts.partner = grid.partner
        and counts.feed = grid.feed
        and counts.month_start = grid.month_start
        and counts.incident_scope = grid.incident_scope
)

select * from final
