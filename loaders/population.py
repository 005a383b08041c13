"""The population seed: Trafford's real mid-2024 LSOA estimates (persons), reduced to what the denominators use.

ONS mid-year estimates as Trafford Data Lab publish them (../shared/data/real/geography) are the only population
figures the hub has: Trafford only, by single year of age. The seed keeps, per 2021 LSOA, all ages and the
15-24-year-olds (the VLI's young-people input). `python -m loaders.population FILE` rewrites it; a test proves it
equals what the real file says.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from warehouse.paths import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "denominators" / "trafford_lsoa_population.csv"
YOUNG_AGES = tuple(str(age) for age in range(15, 25))


def lsoa_population(path: Path) -> list[tuple[str, int, int, int]]:
    """(LSOA code, mid-year, all ages, aged 15-24) for every 'Persons' row of a Trafford Data Lab LSOA file."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("sex", r.get("gender")) == "Persons"]
    return [(r["area_code"], int(r["period"][:4]), int(r["all_ages"]), sum(int(r[a]) for a in YOUNG_AGES)) for r in rows]


def write_seed(source: Path, seed: Path = SEED) -> None:
    seed.parent.mkdir(parents=True, exist_ok=True)
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("lsoa_code", "mid_year", "population", "aged_15_to_24"))
        writer.writerows(lsoa_population(source))


if __name__ == "__main__":
    write_seed(Path(sys.argv[1]))
