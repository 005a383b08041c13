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

districts as (
    select district_code from {{ ref('dim_district') }}
),

-- The feeds that say who was involved: a person key on any of their incidents (police recorded-crime victims,
-- ambulance patients).
{{ repeat_window_ctes('person_key') }},

-- Every incident with a person key, placed in a district, in the 'all' scope; domestic abuse again in its own.
events as (
    select partner, feed, district_code, occurred_month, person_key, 'all' as incident_scope
    from incidents
    where person_key is not null and district_code is not null
    union all
    select partner, feed, district_code, occurred_month, person_key, 'domestic' as incident_scope
    from incidents
    where person_key is not null and district_code is not null and is_domestic
),

scopes as (
    select 'all' as incident_scope
    union all
    select 'domestic' as incident_scope
),

-- Every district, window and scope, zero when nobody was involved.
grid as (
    select districts.district_code, windows.partner, windows.feed, windows.month_start, windows.window_start_month,
        scopes.incident_scope
    from districts
    cross join windows
    cross join scopes
),

-- Each person's incidents in a district within each window: the window's last month and the months before it,
-- repeat_window_months in all. An incident exactly that many months before (March 2023 for the window ending
-- March 2024) is outside. Incidents are counted in the district where they happened, so a person harmed once in
-- each of two districts is a repeat in neither.
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
