"""The published Vulnerable Localities Index is the method worked through again by hand.

A small police recorded-crime extract (made-up crimes in real Greater Manchester LSOAs) is loaded through the
contract and built by dbt into the VLI marts. Then every LSOA's and every ward's indices and VLI are recomputed
here in plain Python - the csv module over the VLI settings seed, the real reference files (lookups, IMD, ONS
populations) and the extract this test wrote,
never DuckDB - and compared with marts.vli_lsoa and marts.vli_ward to 1e-6.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import yaml
import pytest

from tests.helpers import build_models, csv_rows, make_hub
from warehouse.paths import PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"
REAL = PROJECT_DIR.parent / "shared" / "data" / "real"
GEOGRAPHY = REAL / "geography"
# The single-year-of-age estimate nearest the crime period 2024/25: mid-2019 (int_vli_inputs_lsoa)
POPULATION_FILE = REAL / "population" / "ew_lsoa11_mid2019_single_year_of_age.csv"
HEADER = ("Crime Reference", "Recorded Date", "Occurred Date", "Occurred Time", "HO Offence Code",
          "Offence Description", "LSOA Code", "Longitude", "Latitude", "Victim Reference", "Location Reference",
          "Domestic Abuse Flag", "Alcohol Flag", "MO Text")
CRIMES = [  # (LSOA, Home Office offence code, month recorded)
    ("E01006161", "028/01", "2024-05"), ("E01006161", "028/01", "2024-08"), ("E01006161", "028/01", "2025-01"),
    ("E01006161", "058/01", "2024-08"),                                      # Trafford
    ("E01006185", "028/01", "2024-05"), ("E01006185", "058/01", "2025-01"),
    ("E01006185", "058/01", "2025-01"),                                      # Trafford, split in 2021
    ("E01004766", "028/01", "2024-08"), ("E01004766", "028/01", "2025-01"), ("E01004766", "058/01", "2024-05"),
    ("E01004766", "030/01", "2024-05"), ("E01004766", "058/03", "2024-08"),  # Bolton; not dwellings: not counted
    ("E01005062", "028/01", "2025-01"),                                      # Manchester, changed in 2021
    ("E01005128", "058/01", "2024-08"),                                      # Manchester
    ("E01034000", "028/01", "2024-08"),                                      # a 2021-only code: no 2011 LSOA
    ("E01005243", "028/01", "2023-11"), ("E01005243", "028/01", "2023-11"),  # 2023/24: not the latest year
]
DOMAINS = {"crime": (0, 1), "deprivation": (2, 3), "young_people": (4,), "education": (5,)}  # input positions
INPUTS = ("dwelling_burglary_rate", "criminal_damage_dwelling_rate", "income_score", "employment_score",
          "aged_15_to_24_pct", "education_score")
INDICES = ("dwelling_burglary_index", "criminal_damage_dwelling_index", "income_index", "employment_index",
           "aged_15_to_24_index", "education_index")
IMD_DOMAINS = ("Income", "Employment", "Education, Skills and Training")


def write_extracts(folder: Path) -> list[Path]:
    """One file per month recorded, in the hub's recorded-crime contract (docs/samples/police__recorded_crime.csv)."""
    files = []
    for month in sorted({month for _, _, month in CRIMES}):
        path = folder / f"recorded_crime_{month}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(HEADER)
            for n, (lsoa, code, recorded) in enumerate(CRIMES):
                if recorded == month:
                    writer.writerow((f"VLI-{n:03d}", f"{month}-15", f"{month}-14", "", code, "", lsoa, "", "", "", "",
                                     "False", "False", ""))
        files.append(path)
    return files


@pytest.fixture(scope="module")
def marts(tmp_path_factory, hub_template):
    folder = tmp_path_factory.mktemp("vli")
    hub = make_hub(folder / "hub", hub_template)
    hub.ingest("police", *write_extracts(folder))
    build_models(hub, "vli_lsoa", "vli_ward")
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        yield {table: {row[0]: dict(zip([d[0] for d in con.description], row))
                       for row in con.execute(f"select * from marts.{table}").fetchall()}
               for table in ("vli_lsoa", "vli_ward")}
    finally:
        con.close()


# ---- the method, by hand -------------------------------------------------------------------------------------------

def financial_year(month: str) -> str:
    start = int(month[:4]) - (1 if int(month[5:7]) < 4 else 0)
    return f"{start}/{(start + 1) % 100:02d}"


def config() -> dict[str, str]:
    """The VLI's settings seed, and the project's average household size (a dbt var shared with every rate)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    settings = {r["setting"]: r["value"] for r in csv_rows(SEEDS / "vli" / "vli_config.csv")}
    return {**settings, "average_household_size": str(project["vars"]["average_household_size"])}


def lsoa11_wards(lsoa11_codes: set[str]) -> dict[str, str]:
    """2011 LSOA -> 2022 ward: the published best fit where the code survived into 2021, else the best fit of the
    2021 LSOA holding most of its output areas (a tie to the lowest code)."""
    best_fit = {r["lsoa21cd"]: r["wd22cd"] for r in csv_rows(GEOGRAPHY / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv")}
    oa21 = {r["oa21cd"]: r["lsoa21cd"] for r in csv_rows(GEOGRAPHY / "gm_oa21_lsoa21_msoa21_lad22_lookup.csv")}
    shared: dict[str, Counter] = defaultdict(Counter)
    for r in csv_rows(GEOGRAPHY / "gm_oa11_lsoa11_msoa11_lad11_lookup.csv"):
        if r["lsoa11cd"] not in best_fit and r["oa11cd"] in oa21:
            shared[r["lsoa11cd"]][oa21[r["oa11cd"]]] += 1
    wards = {code: best_fit[code] for code in lsoa11_codes if code in best_fit}
    for code, counts in shared.items():
        wards[code] = best_fit[min(counts, key=lambda lsoa21: (-counts[lsoa21], lsoa21))]
    return wards


def lsoa_figures(settings: dict[str, str]) -> tuple[dict[str, dict], str]:
    """Every GM 2011 LSOA's counts, denominators and IMD scores, and the crime period (the latest financial year)."""
    imd: dict[str, dict[str, float]] = defaultdict(dict)
    for r in csv_rows(GEOGRAPHY / "gm_imd2015_lsoa_domains_long.csv"):
        if r["index_domain"] in IMD_DOMAINS:
            imd[r["lsoa11cd"]][r["index_domain"]] = float(r["score"])
    measured = {r["lsoa_code"]: r for r in csv_rows(POPULATION_FILE) if r["lsoa_code"] in imd}
    period = max(financial_year(month) for _, _, month in CRIMES)
    counted = Counter((lsoa, code) for lsoa, code, month in CRIMES if financial_year(month) == period)
    wards = lsoa11_wards(set(imd))
    figures = {}
    for code, scores in imd.items():
        population = float(measured[code]["total_population"])
        figures[code] = {
            "ward": wards[code], "population": population,
            "households": population / float(settings["average_household_size"]),
            "aged_15_to_24": sum(float(measured[code][str(age)]) for age in range(15, 25)),
            "burglaries": counted[code, "028/01"], "damage": counted[code, "058/01"],
            "income": scores["Income"], "employment": scores["Employment"],
            "education": scores["Education, Skills and Training"],
        }
    return figures, period


def inputs(lsoas: list[dict]) -> list[float | None]:
    """An area's six inputs, each a ratio of sums over its LSOAs."""
    population = sum(lsoa["population"] for lsoa in lsoas)
    households = sum(lsoa["households"] for lsoa in lsoas)
    aged = [lsoa for lsoa in lsoas if lsoa["aged_15_to_24"] is not None]
    return [
        1000 * sum(lsoa["burglaries"] for lsoa in lsoas) / households,
        1000 * sum(lsoa["damage"] for lsoa in lsoas) / households,
        sum(lsoa["income"] * lsoa["population"] for lsoa in lsoas) / population,
        sum(lsoa["employment"] * lsoa["population"] for lsoa in lsoas) / population,
        100 * sum(lsoa["aged_15_to_24"] for lsoa in aged) / sum(lsoa["population"] for lsoa in aged) if aged else None,
        sum(lsoa["education"] * lsoa["population"] for lsoa in lsoas) / population,
    ]


def score(values: list[float | None], reference: list[float | None], settings: dict[str, str]) -> dict:
    """Index to the reference (x 100), mean within domains, weighted mean of the domains the area has."""
    indices = [100 * v / r if v is not None and r else None for v, r in zip(values, reference)]
    domains = {}
    for domain, positions in DOMAINS.items():
        present = [indices[i] for i in positions if indices[i] is not None]
        if present:
            domains[domain] = sum(present) / len(present)
    weights = {domain: float(settings[f"{domain}_weight"]) for domain in domains}
    vli = sum(weights[d] * domains[d] for d in domains) / sum(weights.values())
    return {
        **dict(zip(INDICES, indices)), "vli": vli, "domains_scored": len(domains),
        "is_priority": vli > float(settings["priority_threshold"]),
        "inputs_missing": ", ".join(name for name, index in zip(INPUTS, indices) if index is None) or None,
    }


@pytest.fixture(scope="module")
def by_hand() -> dict[str, dict]:
    settings = config()
    figures, period = lsoa_figures(settings)
    reference = inputs(list(figures.values()))
    wards: dict[str, list[dict]] = defaultdict(list)
    for lsoa in figures.values():
        wards[lsoa["ward"]].append(lsoa)
    return {
        "period": period,
        "vli_lsoa": {code: score(inputs([lsoa]), reference, settings) for code, lsoa in figures.items()},
        "vli_ward": {code: score(inputs(lsoas), reference, settings) for code, lsoas in wards.items()},
    }


# ---- the claims ----------------------------------------------------------------------------------------------------

def differences(published: dict, expected: dict) -> list[tuple]:
    found = []
    for code, wanted in expected.items():
        for column, value in wanted.items():
            got = published[code][column]
            same = got == pytest.approx(value, abs=1e-6) if isinstance(value, float) else got == value
            if not same:
                found.append((code, column, got, value))
    return found


@pytest.mark.parametrize("mart", ["vli_lsoa", "vli_ward"])
def test_every_published_score_is_the_method_recomputed_by_hand(marts, by_hand, mart):
    assert set(marts[mart]) == set(by_hand[mart])
    assert len(marts[mart]) == {"vli_lsoa": 1673, "vli_ward": 215}[mart]
    assert differences(marts[mart], by_hand[mart]) == []


def test_only_dwelling_crimes_of_the_latest_year_placed_in_a_2011_lsoa_are_counted(marts, by_hand):
    lsoas = marts["vli_lsoa"]
    assert by_hand["period"] == "2024/25"
    assert {(row["crime_period"], row["crime_months"]) for row in lsoas.values()} == {("2024/25", 3)}
    assert (lsoas["E01006161"]["dwelling_burglaries"], lsoas["E01006161"]["criminal_damage_dwellings"]) == (3, 1)
    assert (lsoas["E01004766"]["dwelling_burglaries"], lsoas["E01004766"]["criminal_damage_dwellings"]) == (2, 1)
    assert lsoas["E01005243"]["dwelling_burglaries"] == 0  # its two burglaries were in 2023/24
    # 8 dwelling burglaries in 2024/25, one of them placed only by a 2021 LSOA code (E01034000): 7 are counted
    assert sum(row["dwelling_burglaries"] for row in lsoas.values()) == 7
    assert sum(row["criminal_damage_dwellings"] for row in lsoas.values()) == 5


def test_every_lsoa_and_ward_has_its_ons_population_and_ages_so_no_domain_is_lost(marts):
    for mart, count in (("vli_lsoa", 1673), ("vli_ward", 215)):
        rows = marts[mart].values()
        assert len(rows) == count
        assert {(row["inputs_missing"], row["domains_scored"], row["population_is_estimate"]) for row in rows} == {
            (None, 4, False)}, mart
