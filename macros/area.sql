{#- The partnership area of this build (dbt_project.yml's `area` var, set by `hub area`), as SQL string literals. -#}
{% macro area_code() -%}
    '{{ var("area")["code"] | replace("'", "''") }}'
{%- endmacro %}

{% macro area_name() -%}
    '{{ var("area")["name"] | replace("'", "''") }}'
{%- endmacro %}

{#- Each force whose police.uk street files cover the area, and the area's districts in its force area, as the rows
    of a select (police_force, district_code). -#}
{% macro area_police_force_districts() -%}
    {%- set pairs = [] -%}
    {%- for force in var("area")["police_forces"] -%}
        {%- for code in force["districts"] -%}{%- do pairs.append((force["name"], code)) -%}{%- endfor -%}
    {%- endfor -%}
    {%- for name, code in pairs %}
    select '{{ name | replace("'", "''") }}' as police_force, '{{ code | replace("'", "''") }}' as district_code
        {{- "\n    union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Whether the area is Greater Manchester on its own lookups (2022 wards), or districts of the national lookup. -#}
{% macro area_uses_gm_lookups() -%}
    {{ return(var("area")["lookup"] == "gm") }}
{%- endmacro %}

{#- The area's districts (national lookups only) as a SQL list of string literals. -#}
{% macro area_district_codes() -%}
    {%- for code in var("area")["districts"] %}'{{ code | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}
