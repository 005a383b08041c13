{# Fails when the model and `relation` hold different numbers of rows, giving both counts. On a view that adds
   columns to a table through left joins, equal counts mean each of the table's rows is there exactly once: none
   dropped, none repeated by a join. What is tested on the table (its key unique and never null) then holds for the
   view, for the cost of two counts rather than a second grouping of every key (at 70M incidents 0.9 s and 0.3 GB
   against 12.9 s and 2.7 GB). #}
{% test same_row_count_as(model, relation) %}
select model_rows, relation_rows
from (select count(*) as model_rows from {{ model }}) as counted_model
cross join (select count(*) as relation_rows from {{ relation }}) as counted_relation
where model_rows <> relation_rows
{% endtest %}
