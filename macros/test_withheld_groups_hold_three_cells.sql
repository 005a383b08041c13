{# Fails on a withheld group of fewer than three cells: a reader who knows one withheld cell is a small count could
   read a lone cell off the district total, or tell that neither of two is 0 (tests/test_disclosure_attack.py). #}
{% test withheld_groups_hold_three_cells(model, group_by) %}
select {{ group_by | join(', ') }}, count(*) as withheld_cells
from {{ model }}
where is_suppressed
group by {{ group_by | join(', ') }}
having count(*) < 3
{% endtest %}
