{#- A month as its label, 'YYYY-MM'. -#}
{% macro month_label(date_expression) -%}
    {{ dbt.concat([
        "cast(extract(year from " ~ date_expression ~ ") as " ~ dbt.type_string() ~ ")", "'-'",
        dbt.right(dbt.concat(["'0'", "cast(extract(month from " ~ date_expression ~ ") as " ~ dbt.type_string() ~ ")"]), "2")
    ]) }}
{%- endmacro %}

{#- The Poisson z-score of a change from `expected` to `current` counts: 2(sqrt(current) - sqrt(expected)), which is
    close to standard normal for counts (README: The analysts' marts); null when either is missing. -#}
{% macro poisson_z(current, expected) -%}
    2 * (sqrt(cast({{ current }} as double)) - sqrt(cast({{ expected }} as double)))
{%- endmacro %}

{#- Percentage change, null when there is nothing to compare with (a zero base has no percentage change). -#}
{% macro change_pct(current, base) -%}
    case when {{ base }} <> 0 then 100.0 * ({{ current }} - {{ base }}) / {{ base }} end
{%- endmacro %}
