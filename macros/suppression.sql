{#- Small-number suppression (README: Open data for the public website) over a relation of cells that add up, in groups, to a published
    total: in a sensitive group holding a count of 1 to max_count, every cell of the group is withheld; other groups
    are published whole. The rule is public (README, open data README), so it is built to tell a reader nothing they
    could use: withheld zeros, small counts and large counts look alike, and nothing says which cell was the small
    one. A reader who knows the total, the rule and that counts are whole numbers can only say of each withheld cell
    that it lies between 0 and the total: never its value, never that it is a small non-zero number, as long as the
    group has two cells or more (the caller makes every group hold each of the district's wards). Picking a few
    "secondary" cells instead leaks through the picking: a rule that skips zeros tells the reader every withheld cell
    is at least 1, and one that picks the smallest cells bounds them by the smallest published one.
    Adds is_suppressed; the caller nulls the count and its rates. -#}
{% macro small_number_suppression(relation, count_column, group_by, is_sensitive, max_count) -%}
    {%- if max_count < 1 or max_count > 7 -%}
        {{ exceptions.raise_compiler_error("open_data_suppression_max_count must be 1 to 7 (README: Open data), not " ~ max_count) }}
    {%- endif -%}
    select
        cells.*,
        coalesce(bool_or({{ is_sensitive }} and {{ count_column }} between 1 and {{ max_count }})
            over (partition by {{ group_by | join(', ') }}), false) as is_suppressed
    from {{ relation }} as cells
{%- endmacro %}
