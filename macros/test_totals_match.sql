{# Fails when sum(column) over the model differs from a total over another relation: a reconciliation test. #}
{% test totals_match(model, column_name, compare_to, compare_expression, compare_where='1 = 1') %}
with model_total as (
    select coalesce(sum({{ column_name }}), 0) as total from {{ model }}
),

compare_total as (
    select coalesce({{ compare_expression }}, 0) as total from {{ compare_to }} where {{ compare_where }}
)

select model_total.total as model_total, compare_total.total as compare_total
from model_total cross join compare_total
where model_total.total <> compare_total.total
{% endtest %}
