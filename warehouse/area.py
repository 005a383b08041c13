"""The partnership area a hub serves: Greater Manchester by default, or any police force area, community safety
partnership or set of districts in England and Wales (`hub area NAME_OR_CODE...`).

The choice is stored in the hub's home ($HUB_HOME/area.json) and handed to every dbt run as the `area` var, so the
wards, districts, populations, KPI levels, packs and open data of a build are the chosen area's. Greater Manchester
keeps its own lookups (2022 wards); any other area takes its districts from the national district -> CSP -> police
force area lookup and its wards from the national LSOA 2021 -> ward 2024 best fit (wards of the lookup's vintage).
The default is dbt_project.yml's `area` var: choosing Greater Manchester again removes the file.
"""

from __future__ import annotations

import csv
import difflib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from loaders.reference_data import reference_file
from warehouse.paths import PROJECT_DIR, HubPaths

DISTRICT_LOOKUP = "geography/ew_lad24_csp24_pfa24_lookup.csv"
WARD_LOOKUP = "geography/ew_lsoa21_ward24_lad24_lookup.csv"
POLICE_UK_FORCES = PROJECT_DIR / "seeds" / "police" / "police_uk_forces.csv"
GREATER_MANCHESTER_FORCE_AREA = "E23000005"


class UnknownArea(ValueError):
    """A name or code that is no police force area, community safety partnership or district of the lookup."""


@dataclass(frozen=True)
class Area:
    code: str             # E11000001 (GM), an E23/W15 force area, an E22/W22 CSP, a district, or codes joined by '+'
    name: str
    kind: str             # greater manchester, police force area, community safety partnership, district, districts
    lookup: str           # 'gm': GM's own 2022 ward lookups; 'national': the 2024 national best fit
    districts: tuple[str, ...]  # the area's districts (2024 codes); empty for GM, whose lookups hold only GM
    police_force: str     # police.uk's 'Falls within' name of the area's force: its street files cover the area

    @property
    def is_default(self) -> bool:
        return self == default_area()

    def dbt_vars(self) -> dict:
        return {"area": {**asdict(self), "districts": list(self.districts)}}


def default_area() -> Area:
    """Greater Manchester, as dbt_project.yml's `area` var defines it (the one definition of the default)."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as f:
        settings = yaml.safe_load(f)["vars"]["area"]
    return Area(**{**settings, "districts": tuple(settings["districts"])})


def area_file(paths: HubPaths) -> Path:
    return paths.home / "area.json"


def current_area(paths: HubPaths) -> Area:
    stored = area_file(paths)
    if not stored.is_file():
        return default_area()
    settings = json.loads(stored.read_text(encoding="utf-8"))
    return Area(**{**settings, "districts": tuple(settings["districts"])})


def choose_area(paths: HubPaths, names: list[str]) -> Area:
    """Resolve the names or codes, and store the area for every later build (Greater Manchester removes the file)."""
    area = resolve_area(names, paths)
    stored = area_file(paths)
    if area.is_default:
        stored.unlink(missing_ok=True)
    else:
        paths.ensure()
        stored.write_text(json.dumps(asdict(area), indent=2) + "\n", encoding="utf-8")
    return area


def resolve_area(names: list[str], paths: HubPaths) -> Area:
    rows = _district_rows(paths)
    matches = [_match(name, rows) for name in names]
    districts = tuple(sorted({row["ltla24_code"] for _, _, _, matched in matches for row in matched}))
    gm_districts = {row["ltla24_code"] for row in rows if row["pfa24_code"] == GREATER_MANCHESTER_FORCE_AREA}
    if set(districts) == gm_districts:
        return default_area()
    force_areas = sorted({row["pfa24_code"] for row in rows if row["ltla24_code"] in districts})
    if len(force_areas) > 1:
        raise UnknownArea(f"{' + '.join(names)} spans {len(force_areas)} police force areas "
                          f"({', '.join(force_areas)}); "
                          "an area must lie within one force's, whose police.uk files cover it")
    if len(matches) == 1:
        kind, code, name, _ = matches[0]
    else:
        kind, code, name = "districts", "+".join(m[1] for m in matches), " and ".join(m[2] for m in matches)
    return Area(code=code, name=name, kind=kind, lookup="national", districts=districts,
                police_force=_police_uk_force(force_areas[0]))


def expected_ward_count(area: Area, paths: HubPaths) -> int:
    """The wards of an area outside GM, counted straight from the national lookup file (what its build must list)."""
    with reference_file(WARD_LOOKUP, paths.home).open(encoding="utf-8-sig", newline="") as f:
        return len({row["ward24_code"] for row in csv.DictReader(f) if row["ltla24_code"] in area.districts})


def describe_area(area: Area, paths: HubPaths) -> list[str]:
    """What `hub area` shows: the area, where its wards come from, its districts and its force."""
    lines = [f"Area: {area.name} ({area.code}), {area.kind}" + (" - the default" if area.is_default else "")]
    if area.lookup == "gm":
        lines.append("Wards: Greater Manchester's 2022 wards (ONS best fit of 2021 LSOAs), its ten districts")
    else:
        names = {row["ltla24_code"]: row["ltla24_name"] for row in _district_rows(paths)}
        lines.append("Wards: 2024 wards of the national LSOA 2021 -> ward 2024 best fit (ONS)")
        lines.append("Districts: " + ", ".join(f"{names.get(code, code)} ({code})" for code in area.districts))
    lines.append(f"Police force (police.uk 'Falls within'): {area.police_force}")
    lines.append(f"Stored in: {area_file(paths) if not area.is_default else 'nowhere (the default)'}")
    return lines


def _match(name: str, rows: list[dict]) -> tuple[str, str, str, list[dict]]:
    """(kind, code, name, district rows) of the first level whose code or name is `name`, case aside."""
    wanted = name.strip().casefold()
    if wanted in ("e11000001", "greater manchester"):
        wanted = GREATER_MANCHESTER_FORCE_AREA.casefold()
    for kind, prefix in (("police force area", "pfa24"), ("community safety partnership", "csp24"),
                         ("district", "ltla24")):
        matched = [row for row in rows
                   if wanted in (row[f"{prefix}_code"].casefold(), row[f"{prefix}_name"].casefold())]
        if matched:
            return kind, matched[0][f"{prefix}_code"], matched[0][f"{prefix}_name"], matched
    known = sorted({row[f"{prefix}_name"] for row in rows for prefix in ("pfa24", "csp24", "ltla24")})
    near = difflib.get_close_matches(name.strip(), known, n=3)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    raise UnknownArea(f"no police force area, community safety partnership or district is called or coded "
                      f"{name!r} in the national lookup ({DISTRICT_LOOKUP}){hint}")


def _district_rows(paths: HubPaths) -> list[dict]:
    with reference_file(DISTRICT_LOOKUP, paths.home).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _police_uk_force(force_area_code: str) -> str:
    with POLICE_UK_FORCES.open(encoding="utf-8", newline="") as f:
        forces = {row["police_force_area_code"]: row["police_uk_force"] for row in csv.DictReader(f)}
    return forces[force_area_code]
