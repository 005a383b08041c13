"""The VLI seeds are the real files: the IMD copied byte for byte, the population made from the real estimates."""

from __future__ import annotations

from loaders.vli_denominators import SEED, write_seed
from tests.helpers import csv_rows
from warehouse.paths import PROJECT_DIR

VLI_SEEDS = PROJECT_DIR / "seeds" / "vli"


def test_the_imd_seed_is_the_real_imd_2015_file_unchanged(real_dir):
    name = "gm_imd2015_lsoa_domains_long.csv"
    assert (VLI_SEEDS / name).read_bytes() == (real_dir / "geography" / name).read_bytes()


def test_the_population_seed_is_exactly_what_the_real_trafford_estimates_give(real_dir, tmp_path):
    regenerated = tmp_path / SEED.name
    write_seed(real_dir / "geography", regenerated)
    assert SEED.read_bytes() == regenerated.read_bytes()


def test_the_population_seed_covers_every_trafford_lsoa_and_all_of_trafford(real_dir):
    """138 Trafford 2011 LSOAs; the split one is its two successors; nobody is lost or counted twice."""
    geography = real_dir / "geography"
    rows = {r["lsoa11cd"]: r for r in csv_rows(SEED)}
    trafford_2011 = {r["lsoa11cd"] for r in csv_rows(geography / "gm_lsoa11_to_ward17_to_lad17_bestfit.csv")
                     if r["lad17cd"] == "E08000009"}
    persons = [r for r in csv_rows(geography / "trafford_mid-2024_population_lsoa.csv") if r["sex"] == "Persons"]
    assert set(rows) == trafford_2011
    assert rows["E01006185"]["lsoa21cds"] == "E01034000 E01034001"
    assert sum(int(r["population"]) for r in rows.values()) == sum(int(r["all_ages"]) for r in persons) == 241_025
