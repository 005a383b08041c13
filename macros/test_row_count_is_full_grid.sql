{# Fails unless the model has exactly one row per combination of the dimensions: the proof a fact is zero-filled. #}
{% test row_count_is_full_grid(model, dimensions) %}
with expected as (
    select 1
    {%- for dimension in dimensions %}
        * (select count(distinct {{ dimension.column }}) from {{ dimension.relation }})
    {%- endfor %} as grid_rows
),

actual as (
    select count(*) as model_rows from {{ model }}
)

select actual.model_rows, expected.grid_rows
from actual cross join expected
where actual.model_rows <> expected.grid_rows
{% endtest %}
