{# Fails on any published count of 1 to max_count in a sensitive row: proof no small cell leaves the open data. #}
{% test no_small_counts_published(model, column_name, sensitive, max_count) %}
select *
from {{ model }}
where {{ sensitive }} and {{ column_name }} between 1 and {{ max_count }}
{% endtest %}
