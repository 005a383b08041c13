{#- Small-number suppression (DOMAIN.md section 4) over a relation of cells that add up, in groups, to a published
    total: in a sensitive group, a count of 1 to max_count is suppressed (primary), and then further cells (secondary)
    until at least two are suppressed and together they exceed max_count, so the published total less the published
    cells is never a small number and never one cell. Secondary cells are the smallest non-zero counts first (zeros
    last, as they add nothing to the hidden total); if no choice of cells gets there, the whole group is suppressed.
    Adds is_suppressed and suppression ('primary', 'secondary' or null); the caller nulls the count and its rates. -#}
{% macro small_number_suppression(relation, count_column, group_by, order_by, is_sensitive, max_count) -%}
    {%- if max_count < 1 or max_count > 7 -%}
        {{ exceptions.raise_compiler_error("open_data_suppression_max_count must be 1 to 7 (DOMAIN.md section 4), not " ~ max_count) }}
    {%- endif -%}
    {%- set is_primary = "(" ~ is_sensitive ~ " and " ~ count_column ~ " between 1 and " ~ max_count ~ ")" -%}
    {%- set partition = "partition by " ~ (group_by | join(', ')) -%}
    {%- set ranking = partition ~ " order by case when " ~ is_primary ~ " then 0 when " ~ count_column ~ " > 0 then 1 else 2 end, "
        ~ count_column ~ ", " ~ (order_by | join(', ')) -%}
    with ranked as (
        select
            cells.*,
            {{ is_primary }} as is_primary_cell,
            sum(case when {{ is_primary }} then 1 else 0 end) over ({{ partition }}) as primary_cells,
            count(*) over ({{ partition }}) as group_cells,
            row_number() over ({{ ranking }}) as suppression_rank,
            sum({{ count_column }}) over ({{ ranking }} rows between unbounded preceding and current row) as hidden_total
        from {{ relation }} as cells
    ),

    -- The fewest cells, in rank order, that cover every primary cell, number two or more and hide more than max_count.
    enough as (
        select
            {{ group_by | join(', ') }},
            min(case when suppression_rank >= primary_cells and suppression_rank >= 2 and hidden_total > {{ max_count }}
                     then suppression_rank end) as cells_to_hide,
            max(group_cells) as group_cells
        from ranked
        where primary_cells > 0
        group by {{ group_by | join(', ') }}
    )

    select
        ranked.*,
        coalesce(ranked.suppression_rank <= coalesce(enough.cells_to_hide, enough.group_cells), false) as is_suppressed,
        case
            when ranked.is_primary_cell then 'primary'
            when ranked.suppression_rank <= coalesce(enough.cells_to_hide, enough.group_cells) then 'secondary'
        end as suppression
    from ranked
    left join enough
        on {% for column in group_by %}enough.{{ column }} = ranked.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
{%- endmacro %}
