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


def test_the_stats19_code_seed_is_exactly_what_the_real_dft_guide_says(real_dir, tmp_path):
    from loaders.stats19_guide import SEED, write_seed

    regenerated = tmp_path / "stats19_codes.csv"
    write_seed(real_dir / "stats19" / "dft-road-safety-open-dataset-data-guide-2024.xlsx", regenerated)
    assert SEED.read_bytes() == regenerated.read_bytes()
    text = SEED.read_text(encoding="utf-8")
    assert "casualty,casualty_severity,2,Serious" in text and "casualty,sex_of_casualty,-1,Data missing or out of range" in text


def test_the_population_seed_is_exactly_what_the_real_trafford_file_says(real_dir, tmp_path):
    from loaders.population import SEED, write_seed

    regenerated = tmp_path / "population.csv"
    write_seed(real_dir / "geography" / "trafford_mid-2024_population_lsoa.csv", regenerated)
    assert SEED.read_bytes() == regenerated.read_bytes()
    with (real_dir / "geography" / "trafford_mid-2024_population_lsoa.csv").open(encoding="utf-8") as f:
        first_persons = next(line for line in f if ",Persons," in line).split(",")
    assert SEED.read_text(encoding="utf-8").splitlines()[1].startswith(f"{first_persons[1]},2024,{first_persons[5]},")
