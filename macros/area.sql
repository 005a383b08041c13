{#- The partnership area of this build (dbt_project.yml's `area` var, set by `hub area`), as SQL string literals. -#}
{% macro area_code() -%}
    '{{ var("area")["code"] | replace("'", "''") }}'
{%- endmacro %}

{% macro area_name() -%}
    '{{ var("area")["name"] | replace("'", "''") }}'
{%- endmacro %}

{% macro area_police_force() -%}
    '{{ var("area")["police_force"] | replace("'", "''") }}'
{%- endmacro %}

{#- Whether the area is Greater Manchester on its own lookups (2022 wards), or districts of the national lookup. -#}
{% macro area_uses_gm_lookups() -%}
    {{ return(var("area")["lookup"] == "gm") }}
{%- endmacro %}

{#- The area's districts (national lookups only) as a SQL list of string literals. -#}
{% macro area_district_codes() -%}
    {%- for code in var("area")["districts"] %}'{{ code | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}
