{# The year in which the financial year (1 April - 31 March) holding a date begins. #}
{% macro financial_year_start(date_expression) -%}
    cast(extract(year from {{ date_expression }}) - case when extract(month from {{ date_expression }}) < 4 then 1 else 0 end as {{ dbt.type_int() }})
{%- endmacro %}

{# The financial year a date falls in, labelled as published: '2016/17'. #}
{% macro financial_year(date_expression) -%}
    {%- set start_year = financial_year_start(date_expression) -%}
    {{ dbt.concat([
        "cast(" ~ start_year ~ " as " ~ dbt.type_string() ~ ")",
        "'/'",
        dbt.right("cast(" ~ start_year ~ " + 1 as " ~ dbt.type_string() ~ ")", "2")
    ]) }}
{%- endmacro %}

{# The quarter of the financial year: April-June is 1, January-March is 4. #}
{% macro financial_quarter(date_expression) -%}
    case
        when extract(month from {{ date_expression }}) between 4 and 6 then 1
        when extract(month from {{ date_expression }}) between 7 and 9 then 2
        when extract(month from {{ date_expression }}) between 10 and 12 then 3
        else 4
    end
{%- endmacro %}
