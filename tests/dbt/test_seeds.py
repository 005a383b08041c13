"""The geography seeds are the published lookups, byte for byte: nothing was edited on the way in."""

from __future__ import annotations

import pytest

from warehouse.paths import PROJECT_DIR

SEEDS = sorted((PROJECT_DIR / "seeds" / "geography").glob("*.csv"))


def test_there_are_geography_seeds():
    assert len(SEEDS) == 4


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_each_geography_seed_is_the_real_lookup_unchanged(seed, real_dir):
    assert seed.read_bytes() == (real_dir / "geography" / seed.name).read_bytes()
