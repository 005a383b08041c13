{#- What a data test reads of the model it tests. dbt's own: the model, filtered by the test's `where` config if it
    has one. Besides, a test marked `config: {meta: {rebuilt_months: <month column>}}` reads, on an incremental
    build, only the partner feed months the build rebuilt (int_changed_months): the months an incremental table
    rebuilds are the only ones whose rows changed, and the rows of every other month passed the same test when they
    were built. Only a test whose verdict on a row depends on that row's month alone is marked (a key that holds its
    load, not-null, accepted values); a row with no month is in no rebuilt month, and is always read. A build with --full-refresh tests every row, and `hub build` builds in full
    when the project or the reference data changed and on a hub's first build (warehouse/transform.py), so an
    incremental build always finds int_changed_months as the last build left it. It is named from dbt's graph, not
    by ref(): dbt takes a ref in a test's model argument for a dependency it cannot see at parse time. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set month_column = (config.get('meta') or {}).get('rebuilt_months') -%}
    {%- set scoped = execute and month_column and not flags.FULL_REFRESH -%}
    {%- if scoped -%}
        {%- set changed_node = graph.nodes['model.' ~ project_name ~ '.int_changed_months'] -%}
        {%- set changed = api.Relation.create(database=changed_node.database, schema=changed_node.schema,
                                              identifier=changed_node.alias) -%}
    {%- endif -%}
    {%- if where or scoped -%}
        {%- set filtered -%}
            (select * from {{ relation }} as tested
            where {{ where if where else 'true' }}
            {%- if scoped %}
                and (tested.{{ month_column }} is null or exists (
                    select 1 from {{ changed }} as rebuilt
                    where rebuilt.partner = tested.partner
                        and rebuilt.feed = tested.feed
                        and rebuilt.month_start = tested.{{ month_column }}))
            {%- endif -%}
            ) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
