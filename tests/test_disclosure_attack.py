"""Hand-worked attacks on withheld open-data cells: the reader of tests/disclosure_attack.py, on groups worked out by
hand, under the rule the hub used to publish (small cells plus the smallest non-zero others, labelled primary or
secondary) and under the rule it publishes now (a group holding a small count is withheld whole, unlabelled)."""

from __future__ import annotations

from tests.disclosure_attack import WithheldGroup, feasible_ranges, hub_rule_group, is_disclosed

MAX_COUNT = 4


def test_bury_alcohol_may_2016_pins_every_ward_under_the_old_rule_and_none_under_the_hub_rule():
    # District total 6; eleven wards published as 0 and six withheld. The old rule never withheld a zero unless it
    # withheld the whole group, so each withheld ward is at least 1: six of them adding up to 6 are each exactly 1.
    old = WithheldGroup(hidden_total=6 - 0, domains=((1, None),) * 6, holds_a_small_count=True)
    assert feasible_ranges(old, MAX_COUNT) == [(1, 1)] * 6
    # The hub rule withholds all seventeen wards: each is 0 to 5 (6 would leave no small count to withhold it for).
    new = hub_rule_group(district_total=6, published=[], withheld_cells=17)
    assert feasible_ranges(new, MAX_COUNT) == [(0, 5)] * 17
    assert not any(is_disclosed(r, MAX_COUNT) for r in feasible_ranges(new, MAX_COUNT))


def test_a_primary_label_alone_puts_the_cell_in_the_small_number_band():
    # Wards A 2 (primary), B 0, C 6 (secondary), D 9, E 20; district total 37. The label says A is 1 to 4.
    labelled = WithheldGroup(hidden_total=37 - (0 + 9 + 20), domains=((1, MAX_COUNT), (1, None)), holds_a_small_count=True)
    a, c = feasible_ranges(labelled, MAX_COUNT)
    assert a == (1, 4) and is_disclosed(a, MAX_COUNT)
    assert c == (4, 7) and not is_disclosed(c, MAX_COUNT)
    # The hub rule withholds all five wards, unlabelled: each is 0 to 36.
    assert feasible_ranges(hub_rule_group(37, [], 5), MAX_COUNT) == [(0, 36)] * 5


def test_picking_the_smallest_cells_bounds_them_by_the_smallest_published_one():
    # A rule that hides the smallest non-zero cells tells the reader a hidden cell is at most the smallest published
    # one (9). A primary (1..4) and a secondary (1..9) hiding 13 can only be 4 and 9.
    group = WithheldGroup(hidden_total=13, domains=((1, MAX_COUNT), (1, 9)), holds_a_small_count=True)
    assert feasible_ranges(group, MAX_COUNT) == [(4, 4), (9, 9)]


def test_a_group_withheld_whole_still_tells_its_upper_bound_when_the_total_is_small():
    # Three wards hiding 5: 5 itself would leave no small count, so each is 0 to 4 - it may be 0, so not disclosed.
    assert feasible_ranges(hub_rule_group(5, [], 3), MAX_COUNT) == [(0, 4)] * 3
    assert not is_disclosed((0, 4), MAX_COUNT)
    # With the total 1 the reader knows each ward is 0 or 1, and no more.
    assert feasible_ranges(hub_rule_group(1, [], 3), MAX_COUNT) == [(0, 1)] * 3


def test_two_withheld_wards_cannot_both_be_zero_so_a_group_needs_three():
    # Two wards hiding 8, one of them small: each is 1 to 7. Not one value and not inside 1..4, but the reader knows
    # neither is 0 - which is why every group holds each of the district's wards (twenty or more in Greater
    # Manchester), and the integration test checks three or more.
    assert feasible_ranges(hub_rule_group(8, [], 2), MAX_COUNT) == [(1, 7)] * 2
    assert feasible_ranges(hub_rule_group(8, [], 3), MAX_COUNT) == [(0, 7)] * 3


def test_one_withheld_cell_is_the_hidden_total():
    assert feasible_ranges(hub_rule_group(7, [3, 9], 1), MAX_COUNT) == [None]  # 7 alone holds no small count
    assert feasible_ranges(WithheldGroup(7, ((0, None),), False), MAX_COUNT) == [(7, 7)]
    assert is_disclosed(None, MAX_COUNT) and is_disclosed((7, 7), MAX_COUNT)
