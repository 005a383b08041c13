"""A reader trying to work out withheld open-data cells from what is published, as the README's guarantee is tested.

Each withheld ward cell is in one published equation: the wards of a district, for one month, feed and category,
add up to the district's published total. So the reader knows the hidden total (the district total less the
published wards), that every withheld cell is a whole number in the range the published rule allows it, and what
the rule says about the group as a whole (with the hub's rule: a group is withheld because at least one of its
cells is a small number). From that alone, each withheld cell has a feasible range: every value it could take with
the other withheld cells taking values that fit too. A cell is disclosed if that range is one value, or lies inside
the small-number band 1..max_count (the reader then knows a few people are counted there).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WithheldGroup:
    hidden_total: int  # the district total less the published wards of the group
    domains: tuple[tuple[int, int | None], ...]  # per withheld cell, what the rule lets it be: (lowest, highest or None)
    holds_a_small_count: bool  # the rule says at least one withheld cell is 1..max_count


def hub_rule_group(district_total: int, published: list[int], withheld_cells: int) -> WithheldGroup:
    """What the hub's published rule tells a reader about a withheld group: any whole number per cell, and that at
    least one of them is a small count (otherwise the group would have been published)."""
    return WithheldGroup(district_total - sum(published), ((0, None),) * withheld_cells, True)


def feasible_ranges(group: WithheldGroup, max_count: int) -> list[tuple[int, int] | None]:
    """Each withheld cell's (lowest, highest) feasible value, or None if nothing fits (the published data contradict
    the rule as the reader understands it)."""
    return [_range_of(group, cell, max_count) for cell in range(len(group.domains))]


def is_disclosed(feasible: tuple[int, int] | None, max_count: int) -> bool:
    if feasible is None:
        return True  # the reader's model of the rule is wrong, so the guarantee says nothing
    low, high = feasible
    return low == high or (1 <= low and high <= max_count)


def _range_of(group: WithheldGroup, cell: int, max_count: int) -> tuple[int, int] | None:
    low, high = group.domains[cell]
    candidates = range(low, min(group.hidden_total, high if high is not None else group.hidden_total) + 1)
    lowest = next((v for v in candidates if _fits(group, cell, v, max_count)), None)
    if lowest is None:
        return None
    highest = next(v for v in reversed(candidates) if _fits(group, cell, v, max_count))
    return lowest, highest


def _fits(group: WithheldGroup, cell: int, value: int, max_count: int) -> bool:
    """Can the other withheld cells take values in their domains adding up to the rest, with a small count among
    them all if the rule says there is one? Sums of whole-number ranges cover every whole number between their
    bounds, so interval arithmetic decides it exactly."""
    rest = group.hidden_total - value
    others = [_capped(d, group.hidden_total) for i, d in enumerate(group.domains) if i != cell]
    lowest, highest = sum(lo for lo, _ in others), sum(hi for _, hi in others)
    if not lowest <= rest <= highest:
        return False
    if not group.holds_a_small_count or 1 <= value <= max_count:
        return True
    # Some other cell j takes a small count u; the remaining cells must make up rest - u.
    for lo, hi in others:
        small_low, small_high = max(lo, 1), min(hi, max_count)
        remainder_low, remainder_high = rest - (highest - hi), rest - (lowest - lo)
        if max(small_low, remainder_low) <= min(small_high, remainder_high):
            return True
    return False


def _capped(domain: tuple[int, int | None], hidden_total: int) -> tuple[int, int]:
    low, high = domain
    return low, min(high if high is not None else hidden_total, hidden_total)
