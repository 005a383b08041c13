{#- Fails when any of the columns holds a null: one test per model over every column it never leaves empty, in one
    scan. A not_null test per column was a dbt node each, most of a build's test time for a query of milliseconds.
    A failure lists each column that holds nulls with its count; the count of nulls is the test's failure count. -#}
{% test not_null_columns(model, columns) %}
{{ config(fail_calc = 'coalesce(sum(null_rows), 0)') }}
with null_counts as (
    select
    {%- for column in columns %}
        count(*) - count({{ column }}) as nulls_{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)

{% for column in columns -%}
    select '{{ column }}' as column_name, nulls_{{ loop.index }} as null_rows
    from null_counts
    where nulls_{{ loop.index }} > 0
    {% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}
