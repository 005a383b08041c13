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
scoped as (
    select partner, feed, district_code, occurred_month, person_key, 'all' as incident_scope
    from incidents
    where person_key is not null and district_code is not null
    union all
    select partner, feed, district_code, occurred_month, person_key, 'domestic' as incident_scope
    from incidents
    where person_key is not null and district_code is not null and is_domestic
),

-- Each person's incidents in a district within each window: the window's last month and the months before it,
-- repeat_window_months in all. An incident exactly that many months before (March 2023 for the window ending
-- March 2024) is outside. Incidents are counted in the district where they happened, so a person harmed once in
-- each of two districts is a repeat in neither.
person_windows as (
    select
        windows.partner,
        windows.feed,
        windows.month_start,
        scoped.district_code,
        scoped.incident_scope,
        scoped.person_key,
        count(*) as incidents
    from window_months as windows
    inner join scoped
        on scoped.partner = windows.partner
        and scoped.feed = windows.feed
        and scoped.occurred_month = windows.occurred_month
    group by windows.partner, windows.feed, windows.month_start, scoped.district_code, scoped.incident_scope,
        scoped.person_key
),

counts as (
    select
        partner,
        feed,
        month_start,
        district_code,
        incident_scope,
        count(*) as people,
        sum(case when incidents >= 2 then 1 else 0 end) as repeat_people,
        sum(incidents) as incidents_with_person_key,
        sum(case when incidents >= 2 then incidents else 0 end) as repeat_incidents
    from person_windows
    group by partner, feed, month_start, district_code, incident_scope
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
        cast(coalesce(counts.people, 0) as bigint) as people,
        cast(coalesce(counts.repeat_people, 0) as bigint) as repeat_people,
        cast(coalesce(counts.incidents_with_person_key, 0) as bigint) as incidents_with_person_key,
        cast(coalesce(counts.repeat_incidents, 0) as bigint) as repeat_incidents,
        -- the repeat victimisation rate: the share of incidents with a person key that happened to repeat people
        cast(case
            when counts.incidents_with_person_key > 0
                then 100.0 * counts.repeat_incidents / counts.incidents_with_person_key
        end as double) as repeat_incident_pct
    from grid
    inner join coverage
        on coverage.partner = grid.partner
        and coverage.feed = grid.feed
        and coverage.month_start = grid.month_start
    left join counts
        on counts.district_code = grid.district_code
        and counts.partner = grid.partner
        and counts.feed = grid.feed
        and counts.month_start = grid.month_start
        and counts.incident_scope = grid.incident_scope
)

select * from final
