with caseload as (
    select * from {{ ref('stg_probation__caseload') }}
),

crimes as (
    select * from {{ ref('stg_police__recorded_crimes') }}
),

config as (
    select repeat_window_months from {{ ref('tactical_config') }}
),

lsoa_lookup as (
    select lsoa_code, district_code from {{ ref('int_lsoa_ward_lookup') }}
),

-- Every district, and a null district for offenders whose home could not be placed.
districts as (
    select district_code from {{ ref('dim_district') }}
    union all
    select cast(null as {{ dbt.type_string() }}) as district_code
),

snapshots as (
    select distinct snapshot_month from caseload
),

-- Each snapshot's window: the snapshot month and the months before it, repeat_window_months in all.
windows as (
    select
        snapshots.snapshot_month,
        cast({{ dbt.dateadd('month', '1 - config.repeat_window_months', 'snapshots.snapshot_month') }} as date) as window_start_month
    from snapshots
    cross join config
),

-- The caseload (one row per offender and snapshot), placed in the district of the home LSOA; null when the home
-- postcode could not be placed.
placed as (
    select caseload.snapshot_month, caseload.offender_key, caseload.is_ppo, lsoa_lookup.district_code
    from caseload
    left join lsoa_lookup on lsoa_lookup.lsoa_code = caseload.home_lsoa_code
),

-- Recorded crimes naming each caseload offender as the suspect (the same keyed pseudonym), counted in the month
-- recorded and within the snapshot's window. A crime exactly repeat_window_months before the snapshot is outside;
-- a crime after the snapshot month is not counted against it. Where the crime happened does not matter.
matches as (
    select placed.snapshot_month, placed.offender_key, count(*) as suspect_crimes
    from placed
    inner join windows on windows.snapshot_month = placed.snapshot_month
    inner join crimes
        on crimes.suspect_key = placed.offender_key
        and crimes.occurred_month >= windows.window_start_month
        and crimes.occurred_month <= placed.snapshot_month
    group by placed.snapshot_month, placed.offender_key
),

counts as (
    select
        placed.district_code,
        placed.snapshot_month,
        count(*) as caseload_offenders,
        sum(case when placed.is_ppo then 1 else 0 end) as ppo_offenders,
        sum(case when matches.suspect_crimes is not null then 1 else 0 end) as offenders_named_as_suspects,
        sum(case when placed.is_ppo and matches.suspect_crimes is not null then 1 else 0 end) as ppo_offenders_named_as_suspects,
        sum(coalesce(matches.suspect_crimes, 0)) as suspect_crimes
    from placed
    left join matches
        on matches.snapshot_month = placed.snapshot_month
        and matches.offender_key = placed.offender_key
    group by placed.district_code, placed.snapshot_month
),

-- How many of each window's months the recorded-crime feed delivered: fewer than repeat_window_months means
-- matches are undercounted. The window join reads the feed's months, not each crime: at 10M the model took 1.0-1.1 s
-- so, against 3.2-3.5 s (bench/README.md).
crime_months as (
    select distinct occurred_month from crimes
),

coverage as (
    select windows.snapshot_month, count(crime_months.occurred_month) as crime_months_in_window
    from windows
    left join crime_months
        on crime_months.occurred_month >= windows.window_start_month
        and crime_months.occurred_month <= windows.snapshot_month
    group by windows.snapshot_month
),

-- Every district in every snapshot, plus one row a snapshot for offenders whose home could not be placed.
grid as (
    select districts.district_code, windows.snapshot_month, windows.window_start_month
    from districts
    cross join windows
),

final as (
    select
        -- keys
        grid.district_code,
        grid.snapshot_month as month_start,
        -- dimensions
        grid.district_code is not null as is_placed,
        grid.window_start_month,
        cast(coverage.crime_months_in_window as bigint) as crime_months_in_window,
        -- measures
        cast(coalesce(counts.caseload_offenders, 0) as bigint) as caseload_offenders,
        cast(coalesce(counts.offenders_named_as_suspects, 0) as bigint) as offenders_named_as_suspects,
        cast(coalesce(counts.ppo_offenders, 0) as bigint) as ppo_offenders,
        cast(coalesce(counts.ppo_offenders_named_as_suspects, 0) as bigint) as ppo_offenders_named_as_suspects,
        cast(coalesce(counts.suspect_crimes, 0) as bigint) as suspect_crimes,
        -- the share of the district's caseload named as a suspect in the window
        cast(case
            when counts.caseload_offenders > 0
                then 100.0 * counts.offenders_named_as_suspects / counts.caseload_offenders
        end as double) as named_as_suspect_pct
    from grid
    inner join coverage on coverage.snapshot_month = grid.snapshot_month
    left join counts
        on counts.snapshot_month = grid.snapshot_month
        and (counts.district_code = grid.district_code or (counts.district_code is null and grid.district_code is null))
)

select * from final
