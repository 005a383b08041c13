{#- Fails unless every ward has a row in every month and district its feed's coverage lists (int_feed_coverage), in
    every group the feed reports: the proof a fact is gridded over coverage - zero-filled where covered, and a row
    with its reason where not - so no month or ward goes missing. -#}
{% test zero_filled_over_coverage(model, wards_relation, coverage_relation) %}
with groups_ as (
    select distinct partner, feed, category_group from {{ model }}
),

expected as (
    select groups_.partner, groups_.feed, groups_.category_group, count(*) as cells
    from groups_
    inner join {{ coverage_relation }} as coverage
        on coverage.partner = groups_.partner and coverage.feed = groups_.feed
    inner join {{ wards_relation }} as wards on wards.district_code = coverage.district_code
    group by groups_.partner, groups_.feed, groups_.category_group
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
