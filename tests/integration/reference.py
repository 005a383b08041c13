"""Independent re-implementations, in plain Python over the real lookup files, that the marts are checked against."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import shapely

from warehouse.paths import PROJECT_DIR

REAL = PROJECT_DIR.parent / "shared" / "data" / "real"
GEOGRAPHY = REAL / "geography"
POPULATION = REAL / "population"


def _read(name: str, folder: Path = GEOGRAPHY) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


class Polygons:
    """Published polygons read with shapely (STRtree), independently of the hub and of DuckDB: a point lies in the
    polygon that contains it or whose edge it is on, the lowest code where it is on two."""

    def __init__(self, path: Path, code_property: str = "area_code"):
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        self.codes = [f["properties"][code_property] for f in features]
        self.tree = shapely.STRtree([shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in features])

    @classmethod
    def gm_lsoa21(cls) -> "Polygons":
        return cls(GEOGRAPHY / "gm_lsoa21_boundaries_generalised.geojson")

    @classmethod
    def gm_ward22(cls) -> "Polygons":
        return cls(GEOGRAPHY / "gm_ward22_boundaries_generalised.geojson")

    def code_of(self, longitude: float, latitude: float) -> str | None:
        hits = self.tree.query(shapely.Point(longitude, latitude), predicate="intersects")
        return min((self.codes[i] for i in hits), default=None)

    def codes_of(self, points: list[tuple[float, float]]) -> list[str | None]:
        """code_of for many points at once (one vectorised query)."""
        found: list[str | None] = [None] * len(points)
        point_index, polygon_index = self.tree.query(shapely.points(points), predicate="intersects")
        for i, j in zip(point_index.tolist(), polygon_index.tolist()):
            code = self.codes[j]
            found[i] = code if found[i] is None else min(found[i], code)
        return found


def gm_postcode_lsoas(lsoas: Polygons) -> dict[str, str]:
    """Every GM postcode of ONSPD (August 2018), its key (no spaces, upper case) -> the LSOA its centroid lies in."""
    rows = _read("gm_postcodes_2018-08.csv")
    placed = lsoas.codes_of([(float(r["long"]), float(r["lat"])) for r in rows])
    return {r["postcode"].replace(" ", "").upper(): lsoa for r, lsoa in zip(rows, placed) if lsoa}


@dataclass(frozen=True)
class WardLookup:
    """LSOA 2011 -> ward 2022: the published LSOA21 best fit where the code survived, else the LSOA21 holding most
    of the LSOA11's output areas (ties to the lowest LSOA21 code)."""

    lsoa11_codes: frozenset[str]
    ward_of_lsoa21: dict[str, str]
    lsoa21_of_oa: dict[str, str]
    oas_of_lsoa11: dict[str, list[str]]

    @classmethod
    def load(cls) -> "WardLookup":
        oa11 = _read("gm_oa11_lsoa11_msoa11_lad11_lookup.csv")
        oas: dict[str, list[str]] = {}
        for row in oa11:
            oas.setdefault(row["lsoa11cd"], []).append(row["oa11cd"])
        return cls(
            lsoa11_codes=frozenset(oas),
            ward_of_lsoa21={r["lsoa21cd"]: r["wd22cd"] for r in _read("gm_lsoa21_to_ward22_to_lad22_bestfit.csv")},
            lsoa21_of_oa={r["oa21cd"]: r["lsoa21cd"] for r in _read("gm_oa21_lsoa21_msoa21_lad22_lookup.csv")},
            oas_of_lsoa11=oas,
        )

    def ward_of(self, lsoa11: str) -> str:
        if lsoa11 in self.ward_of_lsoa21:
            return self.ward_of_lsoa21[lsoa11]
        shares = Counter(self.lsoa21_of_oa[oa] for oa in self.oas_of_lsoa11[lsoa11] if oa in self.lsoa21_of_oa)
        most = max(shares.values())
        return self.ward_of_lsoa21[min(code for code, n in shares.items() if n == most)]


@dataclass(frozen=True)
class CategoryMap:
    """police.uk crime type -> hub category group, as the effective-dated seed says."""

    rows: tuple[dict[str, str], ...]

    @classmethod
    def load(cls) -> "CategoryMap":
        with (PROJECT_DIR / "seeds" / "category_map.csv").open(encoding="utf-8", newline="") as f:
            return cls(tuple(csv.DictReader(f)))

    def group_of(self, crime_type: str, month: str) -> str:
        day = date.fromisoformat(f"{month}-01")
        for row in self.rows:
            starts = date.fromisoformat(row["valid_from"]) if row["valid_from"] else date.min
            ends = date.fromisoformat(row["valid_to"]) if row["valid_to"] else date.max
            if row["source_category"] == crime_type and starts <= day <= ends:
                return row["category_group"]
        return "Unmapped"


@dataclass(frozen=True)
class Population:
    """ONS mid-2016 estimates summed to 2022 wards (the nearest estimate to 2015, 2016 and 2017): each 2011 LSOA
    through the ONS best fit to a 2021 LSOA, then that LSOA's best-fit ward. Households: the ward's Census 2021
    households scaled by its mid-2016 population over its census population."""

    ward: dict[str, float]
    households: dict[str, float]
    district_of_ward: dict[str, str]

    @classmethod
    def mid_2016(cls) -> "Population":
        ward_of_lsoa21 = {r["lsoa21cd"]: r["wd22cd"] for r in _read("gm_lsoa21_to_ward22_to_lad22_bestfit.csv")}
        lsoa21_of_lsoa11 = {r["LSOA11CD"]: r["LSOA21CD"] for r in _read("ew_lsoa11_lsoa21_lad22_lookup.csv")}
        ward: Counter = Counter()
        for r in _read("gm_lsoa11_mid2016_single_year_of_age.csv", POPULATION):
            ward[ward_of_lsoa21[lsoa21_of_lsoa11[r["lsoa11cd"]]]] += float(r["total_pop"])
        census_population: Counter = Counter()
        census_households: Counter = Counter()
        for r in _read("ew_lsoa21_census2021_usual_residents.csv", POPULATION):
            if r["LSOA21CD"] in ward_of_lsoa21:
                census_population[ward_of_lsoa21[r["LSOA21CD"]]] += int(r["Population"])
        for r in _read("ew_lsoa21_census2021_households.csv", POPULATION):
            if r["lsoa21_code"] in ward_of_lsoa21:
                census_households[ward_of_lsoa21[r["lsoa21_code"]]] += int(r["households"])
        return cls(
            ward=dict(ward),
            households={w: census_households[w] * ward[w] / census_population[w] for w in ward},
            district_of_ward={r["wd22cd"]: r["lad22cd"] for r in _read("gm_lsoa21_to_ward22_to_lad22_bestfit.csv")},
        )

    def of_district(self, district: str, households: bool = False) -> float:
        figures = self.households if households else self.ward
        return sum(p for ward, p in figures.items() if self.district_of_ward[ward] == district)
