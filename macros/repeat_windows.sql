{#- The rolling windows repeats are counted in, as CTEs for a model that has `incidents` and `config` CTEs:
    keyed_feeds (the feeds with a non-null `key_column` on any incident), read_incidents (the incidents the windows
    read: on an incremental build, those from the first month of the earliest window rebuilt, so that the model's
    events are not taken from every month only to be joined away), feed_months (the months each delivered), windows
    (one ending at each delivered month: that month and the repeat_window_months - 1 before it, so an incident exactly
    repeat_window_months before is outside; on an incremental build only the windows reaching back into a month new
    loads touched), window_months (each window's delivered months: on an incremental build, the months whose
    incidents are read) and coverage (how many of a window's months the feed delivered: fewer than
    repeat_window_months means repeats are undercounted). The model takes its events from read_incidents. -#}

{% macro repeat_window_length() -%}
    (select repeat_window_months from {{ ref('tactical_config') }})
{%- endmacro %}

{% macro repeat_window_ctes(key_column) -%}
keyed_feeds as (
    select distinct partner, feed from incidents where {{ key_column }} is not null
),

read_incidents as {{ not_materialized() }} (
    select * from incidents
    {%- if is_incremental() %}
    where month_start >= (
        select cast({{ dbt.dateadd('month', '1 - ' ~ repeat_window_length(), 'min(changed.month_start)') }} as date)
        from {{ ref('int_changed_months') }} as changed
    )
    {%- endif %}
),

feed_months as (
    select distinct incidents.partner, incidents.feed, incidents.month_start
    from read_incidents as incidents
    inner join keyed_feeds
        on keyed_feeds.partner = incidents.partner
        and keyed_feeds.feed = incidents.feed
),

windows as (
    select
        feed_months.partner,
        feed_months.feed,
        feed_months.month_start,
        cast({{ dbt.dateadd('month', '1 - config.repeat_window_months', 'feed_months.month_start') }} as date) as window_start_month
    from feed_months
    {{ only_changed_months('feed_months', 'month_start', window_months=repeat_window_length()) }}
    cross join config
),

window_months as (
    select windows.partner, windows.feed, windows.month_start, delivered.month_start as occurred_month
    from windows
    inner join feed_months as delivered
        on delivered.partner = windows.partner
        and delivered.feed = windows.feed
        and delivered.month_start >= windows.window_start_month
        and delivered.month_start <= windows.month_start
),

coverage as (
    select partner, feed, month_start, count(*) as months_in_window
    from window_months
    group by partner, feed, month_start
)
{%- endmacro %}

{#- Repeat counts for every window of `grid` (its partner, feed, month_start and `area_columns`), as CTEs for a model
    that has `config` and `window_months` (repeat_window_ctes) and an `events` CTE: one row per incident with partner,
    feed, occurred_month, `area_columns` and `key_column`, none of them null. The last CTE, window_counts, has every
    grid row with keys (distinct keys with an incident in the window), keys_<n>_plus (with n or more), incidents, and
    incidents_at_<n>_plus (every incident of those keys), for each n in `thresholds`.

    Rather than count each incident once in each of the repeat_window_months windows it falls in (a 12-fold
    expansion of the incidents), a key's count changes only where one of its incidents enters (its month) or leaves
    (repeat_window_months later): a running sum over a key's changes gives its count from each change to the next,
    and each change moves the area's measures by what the key's new count adds less what its old count added. An
    area's measures in a window are the running sum of those moves up to the window's month. Only incidents in the
    months of the windows asked for are read (on an incremental build, those reaching into the months rebuilt), each
    with its leaving, so the windows asked for are counted exactly. -#}
{% macro repeat_window_count_ctes(area_columns, key_column, thresholds) -%}
{%- set area = area_columns | join(', ') -%}
{#- each measure as what one key with `{c}` incidents in the window adds to it -#}
{%- set measures = {'keys': 'case when {c} >= 1 then 1 else 0 end'} -%}
{%- for n in thresholds -%}
    {%- do measures.update({'keys_' ~ n ~ '_plus': 'case when {c} >= ' ~ n ~ ' then 1 else 0 end'}) -%}
{%- endfor -%}
{%- do measures.update({'incidents': '{c}'}) -%}
{%- for n in thresholds -%}
    {%- do measures.update({'incidents_at_' ~ n ~ '_plus': 'case when {c} >= ' ~ n ~ ' then {c} else 0 end'}) -%}
{%- endfor -%}
-- repeat_key: the key in its feed and area as one value (combination_key), so that the window over a key's changes
-- sorts one 16-byte number a row on DuckDB rather than four strings.
key_months as (
    select events.partner, events.feed, events.occurred_month,
        {%- for column in area_columns %} events.{{ column }},{% endfor %}
        {{ combination_key(['partner', 'feed'] + area_columns + [key_column], 'events') }} as repeat_key,
        count(*) as incidents
    from events
    {%- if is_incremental() %}
    inner join (select distinct partner, feed, occurred_month from window_months) as read_months
        on read_months.partner = events.partner
        and read_months.feed = events.feed
        and read_months.occurred_month = events.occurred_month
    {%- endif %}
    group by events.partner, events.feed, events.occurred_month,
        {%- for column in area_columns %} events.{{ column }},{% endfor %} events.{{ key_column }}
),

-- A key's incidents enter its count in their month and leave it repeat_window_months later. An entering and a
-- leaving in the same month are two changes, in either order: what they move the area's measures by adds up to the
-- same (the moves of a key's changes in a month telescope to what its count after them adds less what its count
-- before them added).
key_changes as (
    select partner, feed, {{ area }}, repeat_key, occurred_month as change_month, incidents as change
    from key_months
    union all
    select key_months.partner, key_months.feed,
        {%- for column in area_columns %} key_months.{{ column }},{% endfor %} key_months.repeat_key,
        cast({{ dbt.dateadd('month', 'config.repeat_window_months', 'key_months.occurred_month') }} as date),
        -key_months.incidents
    from key_months
    cross join config
),

key_counts as (
    select
        partner, feed, {{ area }}, change_month,
        sum(change) over (
            partition by repeat_key
            order by change_month
            rows between unbounded preceding and current row
        ) as in_window,
        change
    from key_changes
),

-- Each area's moves, with a row of no move at each window of the grid, so the running sums reach its month.
area_moves as (
    select partner, feed, {{ area }}, change_month as month_start, 0 as is_window,
        {%- for name, adds in measures.items() %}
        {{ adds | replace('{c}', 'in_window') }} - ({{ adds | replace('{c}', '(in_window - change)') }}) as {{ name }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from key_counts
    union all
    select partner, feed, {{ area }}, month_start, 1 as is_window
        {%- for name in measures %}, 0 as {{ name }}{% endfor %}
    from grid
),

area_months as (
    select partner, feed, {{ area }}, month_start, max(is_window) as is_window
        {%- for name in measures %}, sum({{ name }}) as {{ name }}{% endfor %}
    from area_moves
    group by partner, feed, {{ area }}, month_start
),

window_counts as (
    select * from (
        select partner, feed, {{ area }}, month_start, is_window
            {%- for name in measures %},
            sum({{ name }}) over (
                partition by partner, feed, {{ area }}
                order by month_start
                rows between unbounded preceding and current row
            ) as {{ name }}
            {%- endfor %}
        from area_months
    ) as running
    where is_window = 1
)
{%- endmacro %}
