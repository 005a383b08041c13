{#- The canonical incident shape (models/_incident_columns.md): every incident staging model selects these columns, in this
    order, so int_incidents_stacked is a plain union and a new feed is one more model in its list. -#}

{% macro incident_flag_names() -%}
    {{ return([
        'is_violent', 'is_acquisitive', 'is_asb', 'is_property_crime',
        'is_serious_violence', 'is_serious_acquisitive', 'is_assault_with_injury',
        'is_dwelling_burglary', 'is_criminal_damage_dwelling',
        'is_deliberate_fire', 'is_dwelling_fire', 'is_ksi', 'is_fatal',
        'is_alcohol_related', 'is_domestic'
    ]) }}
{%- endmacro %}

{#- Counts of people an incident harmed, for KPIs that sum them (NI 49). Null where the feed does not record them:
    unknown, not none. -#}
{% macro incident_measure_names() -%}
    {{ return(['fatal_casualties', 'non_fatal_casualties']) }}
{%- endmacro %}

{% macro incident_columns() -%}
    {{ return(
        ['partner', 'feed', 'load_id', 'source_row', 'source_ref', 'source_category', 'category', 'category_group',
         'occurred_on', 'occurred_month']
        + incident_flag_names()
        + incident_measure_names()
        + ['lsoa_code', 'lsoa_source', 'partner_ward_code', 'partner_district_code', 'longitude', 'latitude',
           'person_key', 'location_key']
    ) }}
{%- endmacro %}

{#- Every flag of the canonical shape, false unless the feed says otherwise: flags = {'is_asb': 'map.is_asb', ...}.
    A flag the feed cannot know (e.g. is_ksi for a crime) is false, never null, so counts by flag add up. -#}
{% macro incident_flags(flags) -%}
    {%- for flag in incident_flag_names() %}
        coalesce(cast({{ flags.get(flag, 'false') }} as boolean), false) as {{ flag }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Every measure of the canonical shape, null unless the feed records it: measures = {'fatal_casualties': ...}. -#}
{% macro incident_measures(measures) -%}
    {%- for measure in incident_measure_names() %}
        cast({{ measures.get(measure, 'null') }} as {{ dbt.type_int() }}) as {{ measure }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The partner's category mapped through the category_map seed, effective-dated by the event's month. -#}
{% macro category_map_join(taxonomy, source_category, event_month, alias='category_map') -%}
    left join {{ ref('category_map') }} as {{ alias }}
        on {{ alias }}.taxonomy = '{{ taxonomy }}'
        and {{ alias }}.source_category = {{ source_category }}
        and {{ event_month }} >= coalesce({{ alias }}.valid_from, cast('1900-01-01' as date))
        and {{ event_month }} <= coalesce({{ alias }}.valid_to, cast('9999-12-31' as date))
{%- endmacro %}

{#- A point as a repeat-location key: the same coordinates always give the same key. -#}
{% macro point_key(longitude, latitude) -%}
    case when {{ longitude }} is not null then {{ dbt.hash(dbt.concat([
        "cast(" ~ longitude ~ " as " ~ dbt.type_string() ~ ")", "','",
        "cast(" ~ latitude ~ " as " ~ dbt.type_string() ~ ")"])) }} end
{%- endmacro %}
