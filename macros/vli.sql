{#- The VLI's published columns, the same at every level: whether inputs were missing, the six inputs, what they
    are made of, their indices against the reference area, the four domains and the VLI. -#}
{% macro vli_scored_columns(scored) -%}
        {{ scored }}.inputs_missing,
        cast({{ scored }}.domains_scored as bigint) as domains_scored,
        {{ scored }}.is_priority,
        -- measures: what the inputs are made of
        cast({{ scored }}.population as double) as population,
        cast({{ scored }}.households as double) as households,
        cast({{ scored }}.aged_15_to_24 as bigint) as aged_15_to_24,
        cast({{ scored }}.dwelling_burglaries as bigint) as dwelling_burglaries,
        cast({{ scored }}.criminal_damage_dwellings as bigint) as criminal_damage_dwellings,
        -- measures: the six inputs
        {%- for input in ['dwelling_burglary_rate', 'criminal_damage_dwelling_rate', 'income_score', 'employment_score',
                          'aged_15_to_24_pct', 'education_score'] %}
        cast({{ scored }}.{{ input }} as double) as {{ input }},
        {%- endfor %}
        -- measures: the indices (reference area = 100), the domains and the VLI
        {%- for index in ['dwelling_burglary_index', 'criminal_damage_dwelling_index', 'income_index', 'employment_index',
                          'aged_15_to_24_index', 'education_index', 'crime_domain_index', 'deprivation_domain_index',
                          'young_people_domain_index', 'education_domain_index', 'vli'] %}
        cast({{ scored }}.{{ index }} as double) as {{ index }},
        {%- endfor %}
        cast({{ scored }}.priority_threshold as double) as priority_threshold
{%- endmacro %}
