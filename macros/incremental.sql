{#- Incremental facts: a model rebuilds only the partner feed months that loads since the last build touched
    (int_changed_months) - and, for a rolling window, the later months whose window reaches back into them. A
    pre-hook deletes those months from the table and the model selects them again, so a re-delivered month is
    replaced whole, even where the new delivery has no rows for a month the old one had. `hub build` runs in full
    whenever the dbt project or the postcode directory changed (warehouse/transform.py). -#}

{#- (partner, feed, month_start) to rebuild: each changed month and the window_months - 1 after it, and the keys
    the SQL `also` selects (a model with more reasons to rebuild a month). -#}
{% macro changed_month_keys(window_months=1, also=none) -%}
    select changed.partner, changed.feed,
        cast({{ dbt.dateadd('month', 'later.generated_number - 1', 'changed.month_start') }} as date) as month_start
    from {{ ref('int_changed_months') }} as changed
    inner join ({{ dbt.generate_series(120) }}) as later
        on later.generated_number <= {{ window_months }}
    {%- if also %}
    union
    {{ also }}
    {%- endif %}
{%- endmacro %}

{#- The pre-hook: delete the months to rebuild. A no-op when the table is built whole. -#}
{% macro delete_changed_months(month_column, window_months=1, also=none) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    using ({{ changed_month_keys(window_months, also) }}) as rebuilt
    where {{ this.identifier }}.partner = rebuilt.partner
        and {{ this.identifier }}.feed = rebuilt.feed
        and {{ this.identifier }}.{{ month_column }} = rebuilt.month_start
    {%- endif -%}
{%- endmacro %}

{#- In the model: keep only rows of the months to rebuild (every row when the table is built whole). -#}
{% macro only_changed_months(alias, month_column, window_months=1, also=none) -%}
    {%- if is_incremental() -%}
    inner join ({{ changed_month_keys(window_months, also) }}) as rebuilt
        on rebuilt.partner = {{ alias }}.partner
        and rebuilt.feed = {{ alias }}.feed
        and rebuilt.month_start = {{ alias }}.{{ month_column }}
    {%- endif -%}
{%- endmacro %}

{#- For a zero-filled fact: every month of a feed that has reported a category group the table has not seen, so the
    new group is zero-filled over all the feed's months, not only the new ones. A new group can only be in a month
    new loads touched (the others' incidents are the ones the table was built from), so only those are looked in;
    the feed's months are its months of coverage, the months its grid has, delivered empty ones included. -#}
{% macro months_of_feeds_with_a_new_group() -%}
    select distinct every_month.partner, every_month.feed, every_month.month_start
    from {{ ref('int_feed_coverage') }} as every_month
    inner join (
        select distinct reported.partner, reported.feed
        from {{ ref('fct_incidents') }} as reported
        {{ only_changed_months('reported', 'month_start') }}
        where not exists (
            select 1 from {{ this }} as known
            where known.partner = reported.partner
                and known.feed = reported.feed
                and known.category_group = reported.category_group
        )
    ) as grown
        on grown.partner = every_month.partner and grown.feed = every_month.feed
{%- endmacro %}

{#- For a fact gridded over int_feed_coverage: every month of a feed whose coverage of a district differs from what the
    table holds (or that the table lacks), since a re-delivery or a late month moves the recent level the volume rule
    judges later months against. -#}
{% macro months_whose_coverage_changed() -%}
    select distinct coverage.partner, coverage.feed, coverage.month_start
    from {{ ref('int_feed_coverage') }} as coverage
    where not exists (
        select 1 from {{ this }} as built
        where built.partner = coverage.partner
            and built.feed = coverage.feed
            and built.month_start = coverage.month_start
            and built.district_code = coverage.district_code
            and built.coverage = coverage.coverage
    )
{%- endmacro %}

{#- The months a zero-filled fact over coverage rebuilds beyond those new loads touched. -#}
{% macro months_of_a_covered_grid_to_rebuild() -%}
    {{ months_of_feeds_with_a_new_group() }}
    union
    {{ months_whose_coverage_changed() }}
{%- endmacro %}
