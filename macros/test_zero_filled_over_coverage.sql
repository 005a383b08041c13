{#- Fails unless every ward has a row in every month its feed has data for, in every group the feed reports: the
    proof a fact is zero-filled. A feed's months are those it has any row for in the model. -#}
{% test zero_filled_over_coverage(model, wards_relation) %}
with feed_months as (
    select partner, feed, count(distinct month_start) as months
    from {{ model }}
    group by partner, feed
),

expected as (
    select
        groups_.partner,
        groups_.feed,
        groups_.category_group,
        feed_months.months * (select count(*) from {{ wards_relation }}) as cells
    from (select distinct partner, feed, category_group from {{ model }}) as groups_
    inner join feed_months on feed_months.partner = groups_.partner and feed_months.feed = groups_.feed
),

actual as (
    select partner, feed, category_group, count(*) as cells
    from {{ model }}
    group by partner, feed, category_group
)

select expected.partner, expected.feed, expected.category_group, expected.cells as expected_cells, actual.cells
from expected
left join actual
    on actual.partner = expected.partner
    and actual.feed = expected.feed
    and actual.category_group = expected.category_group
where actual.cells is null or actual.cells <> expected.cells
{% endtest %}
