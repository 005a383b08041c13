{#- The partner feed months touched by the loads since the last recorded build (audit.builds, written by `hub
    build` when a build succeeds): the months of each new delivery, and of every delivery it replaced. The
    incremental models rebuild these months only (macros/incremental.sql). A build that failed is not recorded, so
    the next one takes in its loads again. -#}
with last_build as (
    select coalesce(max(last_load_id), 0) as last_load_id from {{ source('audit', 'builds') }}
),

loads as (
    select loads.partner, loads.feed, loads.periods
    from {{ source('audit', 'loads') }} as loads
    cross join last_build
    where loads.periods is not null
        and (loads.load_id > last_build.last_load_id or loads.superseded_by > last_build.last_load_id)
),

-- A delivery lists its months as 'YYYY-MM,YYYY-MM'; no delivery spans more than ten years of months.
positions as (
    {{ dbt.generate_series(120) }}
),

months as (
    select
        loads.partner,
        loads.feed,
        {{ dbt.split_part('loads.periods', "','", 'positions.generated_number') }} as month_label
    from loads
    inner join positions
        on positions.generated_number
            <= {{ dbt.length('loads.periods') }} - {{ dbt.length(dbt.replace('loads.periods', "','", "''")) }} + 1
)

select distinct
    partner,
    feed,
    cast({{ dbt.concat(['month_label', "'-01'"]) }} as date) as month_start
from months
where {{ dbt.length('month_label') }} = 7
