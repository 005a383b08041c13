{#- SQL that differs by engine, written once for each (README: On Spark). -#}

{#- The median of an expression, as an aggregate or over a window with a frame (Spark's median takes no frame). -#}
{% macro median(expression) %}
    {{ return(adapter.dispatch('median')(expression)) }}
{% endmacro %}

{% macro default__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{#- The values of a group joined by a delimiter, in the order of `order_by` (ascending); null when there are none.
    dbt-spark's listagg ignores the order and gives '' for none, so on Spark the values are collected with their
    order, sorted, and joined. -#}
{% macro ordered_listagg(measure, delimiter_text, order_by) %}
    {{ return(adapter.dispatch('ordered_listagg')(measure, delimiter_text, order_by)) }}
{% endmacro %}

{% macro default__ordered_listagg(measure, delimiter_text, order_by) -%}
    {{ dbt.listagg(measure, delimiter_text, "order by " ~ order_by) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter_text, order_by) -%}
    nullif(array_join(transform(array_sort(collect_list(named_struct('position', {{ order_by }}, 'value', {{ measure }}))),
        entry -> entry.value), {{ delimiter_text }}), '')
{%- endmacro %}
