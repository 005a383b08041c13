"""Independent re-implementations, in plain Python over the real lookup files, that the marts are checked against."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date

from warehouse.paths import PROJECT_DIR

GEOGRAPHY = PROJECT_DIR.parent / "shared" / "data" / "real" / "geography"


def _read(name: str) -> list[dict[str, str]]:
    with (GEOGRAPHY / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


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
