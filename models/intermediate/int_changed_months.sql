{#- The partner feed months touched by the loads since the last recorded build (audit.builds, written by `hub
    build` when a build succeeds): the months of each new delivery, and of every delivery it replaced - every month
    of a year a yearly feed's delivery holds. The incremental models rebuild these months only
    (macros/incremental.sql). A build that failed is not recorded, so the next one takes in its loads again. -#}
with last_build as (
    select coalesce(max(last_load_id), 0) as last_load_id from {{ source('audit', 'builds') }}
),

loads as (
    select loads.load_id, loads.partner, loads.feed
    from {{ source('audit', 'loads') }} as loads
    cross join last_build
    where loads.load_id > last_build.last_load_id or loads.superseded_by > last_build.last_load_id
),

load_periods as (
    select * from {{ source('audit', 'load_periods') }}
),

month_numbers as (
    {{ dbt.generate_series(12) }}
)

select distinct
    loads.partner,
    loads.feed,
    cast({{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'load_periods.period_start') }} as date) as month_start
from loads
inner join load_periods on load_periods.load_id = loads.load_id
inner join month_numbers
    on month_numbers.generated_number <= case when load_periods.period_grain = 'year' then 12 else 1 end
