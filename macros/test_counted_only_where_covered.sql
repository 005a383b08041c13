{#- Fails on a row whose count disagrees with its coverage: a covered row must have a count (0 included), a row the
    deliveries do not cover must have none, so a missing or partial delivery is never published as 0. -#}
{% test counted_only_where_covered(model, column_name) %}
select *
from {{ model }}
where coverage is null
    or (coverage = 'covered' and {{ column_name }} is null)
    or (coverage <> 'covered' and {{ column_name }} is not null)
{% endtest %}
