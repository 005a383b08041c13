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

{#- One value for a combination of columns (none of them null; none but the last may hold '|', the separator), as
    narrow as the engine allows: a window partitioned by it compares one value a row, not the columns' strings. On
    DuckDB the 128-bit MD5 as a number (16 bytes; two combinations share it with odds of about n² in 2^129, as for
    the MD5 keys themselves); elsewhere the MD5's text. -#}
{% macro combination_key(columns, relation) %}
    {{ return(adapter.dispatch('combination_key')(columns, relation)) }}
{% endmacro %}

{% macro default__combination_key(columns, relation) -%}
    {%- set fields = [] -%}
    {%- for column in columns -%}
        {%- do fields.append(relation ~ '.' ~ column) -%}
        {%- if not loop.last %}{% do fields.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}

{% macro duckdb__combination_key(columns, relation) -%}
    md5_number(concat_ws('|'{% for column in columns %}, {{ relation }}.{{ column }}{% endfor %}))
{%- endmacro %}

{#- Written between a CTE's name and its `as`, for a CTE of an incident table's rows that a model reads more than
    once: DuckDB would otherwise copy every row of it into a buffer before the readers' filters and columns apply
    (70M rows twice at national scale), where reading the table again under each reader's filter costs a fraction
    (bench/README.md). Other engines read the CTE as written. -#}
{% macro not_materialized() %}
    {{ return(adapter.dispatch('not_materialized')()) }}
{% endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}
