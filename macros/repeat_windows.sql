{#- The rolling windows repeats are counted in, as CTEs for a model that has `incidents` and `config` CTEs:
    keyed_feeds (the feeds with a non-null `key_column` on any incident), feed_months (the months each delivered),
    windows (one ending at each delivered month: that month and the repeat_window_months - 1 before it, so an
    incident exactly repeat_window_months before is outside; on an incremental build only the windows reaching back
    into a month new loads touched), window_months (each window's delivered months, so incidents join their windows
    on equality, which hashes, rather than on a range) and coverage (how many of a window's months the feed
    delivered: fewer than repeat_window_months means repeats are undercounted). -#}

{% macro repeat_window_length() -%}
    (select repeat_window_months from {{ ref('tactical_config') }})
{%- endmacro %}

{% macro repeat_window_ctes(key_column) -%}
keyed_feeds as (
    select distinct partner, feed from incidents where {{ key_column }} is not null
),

feed_months as (
    select distinct incidents.partner, incidents.feed, incidents.occurred_month as month_start
    from incidents
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
