"""A delivery's slice is at most one period (a month or a year) and one scope column, so audit.loads can hold it in
typed columns (slice_period_start, slice_period_grain, slice_scope) rather than one string of joined values."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loaders.fire import FIRE_INCIDENTS
from loaders.police_uk import POLICE_UK_STREET
from loaders.reference import POSTCODE_DIRECTORY, WARD_DISTRICTS
from loaders.transport import DFT_COLLISIONS, TFGM_STATS19_CASUALTIES


@pytest.mark.parametrize("contract, period, grain, scope", [
    (POLICE_UK_STREET, "period_month", "month", "falls_within"),
    (FIRE_INCIDENTS, "period_month", "month", "frs"),
    (DFT_COLLISIONS, "accident_year", "year", "police_force"),
    (TFGM_STATS19_CASUALTIES, "period_month", "year", None),
    (POSTCODE_DIRECTORY, None, None, "la_code"),
    (WARD_DISTRICTS, None, None, None),
])
def test_each_contract_names_the_period_and_scope_of_its_slice(contract, period, grain, scope):
    assert (contract.slice_period, contract.slice_period_grain, contract.slice_scope) == (period, grain, scope)


@pytest.mark.parametrize("scope", [("period_month", "accident_year"), ("police_force", "local_authority_district"),
                                   ("period_month", "police_force", "local_authority_district")])
def test_a_scope_of_two_periods_or_two_other_columns_is_refused(scope):
    with pytest.raises(ValueError, match="at most one period"):
        replace(DFT_COLLISIONS, delivery_scope=scope)
