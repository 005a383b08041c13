"""The VLI's measured population seed: ONS mid-year estimates per 2011 LSOA, made from the real files in ../shared.

The Vulnerable Localities Index is scored on 2011 LSOAs (the geography of police data and of IMD 2015), but the
only population by single year of age the hub has is Trafford Data Lab's mid-2024 file, on 2021 LSOAs and for
Trafford only. 137 of Trafford's 138 2011 LSOAs kept their code in 2021, and a kept code means a kept boundary, so
they take their own row. The other one was split. Its 2021 successors are found through the MSOA, whose code (and
so boundary) did not change: the changed 2011 LSOAs of an MSOA cover the same ground as its new 2021 LSOAs, so
when an MSOA has exactly one changed 2011 LSOA, that LSOA is the sum of the new ones. Any other change (a merge, a
changed MSOA) raises an error rather than being guessed at.

`python -m loaders.vli_denominators GEOGRAPHY_DIR` rewrites seeds/vli/vli_lsoa11_population.csv; a test proves the
seed is exactly what the real files give.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from warehouse.paths import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "vli" / "vli_lsoa11_population.csv"
POPULATION_FILE = "trafford_mid-2024_population_lsoa.csv"
OA11_LOOKUP = "gm_oa11_lsoa11_msoa11_lad11_lookup.csv"
OA21_LOOKUP = "gm_oa21_lsoa21_msoa21_lad22_lookup.csv"
SEED_COLUMNS = ("lsoa11cd", "mid_year", "population", "aged_15_to_24", "lsoa21cds")
YOUNG_AGES = tuple(str(age) for age in range(15, 25))  # the VLI's young people: 15 to 24 inclusive (JDiBrief)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def lsoa21_population(path: Path) -> dict[str, tuple[int, int, int]]:
    """2021 LSOA code -> (mid-year, persons of all ages, persons aged 15-24), from the file's 'Persons' rows."""
    persons = [r for r in _read(path) if r.get("sex", r.get("gender")) == "Persons"]
    return {r["area_code"]: (int(r["period"][:4]), int(r["all_ages"]), sum(int(r[age]) for age in YOUNG_AGES))
            for r in persons}


def lsoa11_successors(lsoa21_codes: set[str], oa11_rows: list[dict[str, str]],
                      oa21_rows: list[dict[str, str]]) -> dict[str, tuple[str, ...]]:
    """Every 2011 LSOA in the districts the 2021 codes cover -> the 2021 LSOAs that together make it up."""
    districts = {r["lad22cd"] for r in oa21_rows if r["lsoa21cd"] in lsoa21_codes}
    lsoa11_msoa = {r["lsoa11cd"]: r["msoa11cd"] for r in oa11_rows if r["lad11cd"] in districts}
    lsoa21_msoa = {r["lsoa21cd"]: r["msoa21cd"] for r in oa21_rows if r["lsoa21cd"] in lsoa21_codes}
    changed_by_msoa: dict[str, list[str]] = defaultdict(list)
    new_by_msoa: dict[str, list[str]] = defaultdict(list)
    for lsoa11, msoa in lsoa11_msoa.items():
        if lsoa11 not in lsoa21_codes:
            changed_by_msoa[msoa].append(lsoa11)
    for lsoa21, msoa in lsoa21_msoa.items():
        if lsoa21 not in lsoa11_msoa:
            new_by_msoa[msoa].append(lsoa21)
    successors = {lsoa11: (lsoa11,) for lsoa11 in lsoa11_msoa if lsoa11 in lsoa21_codes}
    for msoa, changed in changed_by_msoa.items():
        if len(changed) != 1 or not new_by_msoa[msoa]:
            raise ValueError(f"MSOA {msoa}: 2011 LSOAs {changed} changed in a way other than one LSOA split "
                             f"into {new_by_msoa[msoa]}; add a rule for it rather than guess")
        successors[changed[0]] = tuple(sorted(new_by_msoa[msoa]))
    return successors


def lsoa11_population(geography: Path) -> list[tuple[str, int, int, int, str]]:
    """One row per 2011 LSOA the population file covers: (code, mid-year, population, aged 15-24, 2021 LSOAs)."""
    by_lsoa21 = lsoa21_population(geography / POPULATION_FILE)
    successors = lsoa11_successors(set(by_lsoa21), _read(geography / OA11_LOOKUP), _read(geography / OA21_LOOKUP))
    rows = []
    for lsoa11, parts in sorted(successors.items()):
        (mid_year,) = {by_lsoa21[part][0] for part in parts}
        rows.append((lsoa11, mid_year, sum(by_lsoa21[part][1] for part in parts),
                     sum(by_lsoa21[part][2] for part in parts), " ".join(parts)))
    return rows


def write_seed(geography: Path, seed: Path = SEED) -> None:
    seed.parent.mkdir(parents=True, exist_ok=True)
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(SEED_COLUMNS)
        writer.writerows(lsoa11_population(geography))


if __name__ == "__main__":
    write_seed(Path(sys.argv[1]))
