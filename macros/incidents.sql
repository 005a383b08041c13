{#- The canonical incident is declared once, in models/intermediate/_canonical_incident.yml (the enforced contract of
    int_incidents_stacked): its columns in order, each with its name, data_type, description and, for a flag or a
    measure, config.meta.kind. These macros give the rest of the project what it needs from that declaration. -#}

{#- The declared columns, read from dbt's graph. dbt fills the graph only when it runs a model; while it parses, the
    list is empty, which changes no ref. A unit test's graph holds only the tested model and its inputs, so there the
    declaration is read from its file, under the project folder the hub names (var project_dir: dbt runs in the
    hub's folder). -#}
{% macro incident_declaration() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set node = (graph.nodes or {}).get('model.partnership_hub.int_incidents_stacked') -%}
    {%- if node -%}
        {{ return(node.columns.values() | list) }}
    {%- endif -%}
    {%- set path = var('project_dir') ~ '/models/intermediate/_canonical_incident.yml' -%}
    {%- set declaration = run_query("select content from read_text('" ~ path ~ "')") -%}
    {%- if declaration.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error("The canonical incident's declaration is not at " ~ path) }}
    {%- endif -%}
    {{ return(fromyaml(declaration.columns[0].values()[0]).models[0].columns) }}
{%- endmacro %}

{% macro incident_kind(column) -%}
    {{ return(((column.config or {}).meta or {}).get('kind')) }}
{%- endmacro %}

{% macro incident_names_of_kind(kind) -%}
    {%- set names = [] -%}
    {%- for column in incident_declaration() if incident_kind(column) == kind -%}
        {%- do names.append(column.name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The true/false facts a KPI can count by (is_violent, is_ksi, ...). -#}
{% macro incident_flag_names() -%}
    {{ return(incident_names_of_kind('flag')) }}
{%- endmacro %}

{#- Counts of people an incident harmed, for KPIs that sum them (NI 49). Null where the feed does not record them:
    unknown, not none. -#}
{% macro incident_measure_names() -%}
    {{ return(incident_names_of_kind('measure')) }}
{%- endmacro %}

{#- A feed's staging relation in the canonical shape: every declared column in order, the feed's own where it has
    one, else nothing of the declared type - false for a flag (a flag the feed cannot know, e.g. is_ksi for a crime,
    is false, never null, so counts by flag add up), null for anything else. So a feed selects only what it knows.
    A feed's column of another type than the declared one stops the build: the union would quietly convert it. -#}
{% macro incident_select(relation) -%}
    {%- set present = {} -%}
    {%- for column in (adapter.get_columns_in_relation(relation) if execute else []) -%}
        {%- do present.update({column.name | lower: column.dtype | lower}) -%}
    {%- endfor %}
    select
    {%- for column in incident_declaration() %}
        {% if column.name in present -%}
            {%- if type_label(present[column.name]) != type_label(column.data_type) -%}
                {{ exceptions.raise_compiler_error(relation ~ " gives " ~ column.name ~ " as " ~ present[column.name]
                    ~ ", but the canonical incident declares it " ~ column.data_type
                    ~ " (models/intermediate/_canonical_incident.yml)") }}
            {%- endif -%}
            {{ column.name }}
        {%- else -%}
            cast({{ 'false' if incident_kind(column) == 'flag' else 'null' }} as {{ column.data_type }}) as {{ column.name }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ relation }}
{%- endmacro %}

{#- A column type by one name whatever the engine calls it (DuckDB's varchar is Spark's string, integer its int), so
    two engines' names for the same type compare equal. -#}
{% macro type_label(data_type) -%}
    {%- set synonyms = {'varchar': 'string', 'text': 'string', 'integer': 'int', 'int4': 'int', 'int8': 'bigint',
                        'long': 'bigint', 'float8': 'double', 'bool': 'boolean'} -%}
    {%- set name = data_type | lower -%}
    {{ return(synonyms.get(name, name)) }}
{%- endmacro %}

{#- The flags a feed knows, as booleans, false where the feed leaves one empty: flags = {'is_asb': 'map.is_asb', ...}.
    The flags it cannot know are filled false when the feeds are stacked (incident_select). -#}
{% macro incident_flags(flags) -%}
    {%- for flag, expression in flags.items() %}
        coalesce(cast({{ expression }} as boolean), false) as {{ flag }}{{ ',' if not loop.last }}
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

{#- A post-hook for a model that carries declared columns on (the placed incidents, fct_incidents): each declared
    column it does not describe in its own YAML gets the declaration's description as its comment, as dbt's
    persist_docs gives the columns it does describe. -#}
{% macro comment_carried_incident_columns() -%}
    {%- set carried = {} -%}
    {%- for column in incident_declaration() if column.name not in model.columns -%}
        {%- do carried.update({column.name: column}) -%}
    {%- endfor -%}
    {{ alter_column_comment(this, carried) }}
{%- endmacro %}
