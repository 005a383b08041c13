"""The partnership area a hub serves: Greater Manchester by default, or England and Wales, England, Wales, any
police force area, community safety partnership or set of districts (`hub area NAME_OR_CODE...`).

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
# The countries an area may be, by the first letter of their district codes (ONS codes).
COUNTRIES = (("K04000001", "England and Wales", ("E", "W")), ("E92000001", "England", ("E",)),
             ("W92000004", "Wales", ("W",)))


class UnknownArea(ValueError):
    """A name or code that is no police force area, community safety partnership or district of the lookup."""


@dataclass(frozen=True)
class PoliceForce:
    """A force whose police.uk street files cover part or all of the area: the area's districts in its force area."""
    name: str                   # police.uk's 'Falls within'
    districts: tuple[str, ...]  # district codes: what a month's street file of the force declares it covers


@dataclass(frozen=True)
class Area:
    code: str             # E11000001 (GM), a country, an E23/W15 force area, an E22/W22 CSP, a district, or codes
                          # joined by '+'
    name: str
    kind: str             # greater manchester, country, police force area, community safety partnership, district,
                          # districts
    lookup: str           # 'gm': GM's own 2022 ward lookups; 'national': the 2024 national best fit
    districts: tuple[str, ...]  # the area's districts (2024 codes); empty for GM, whose lookups hold only GM
    police_forces: tuple[PoliceForce, ...]  # one for an area inside a force area, 43 for England and Wales

    @property
    def is_default(self) -> bool:
        return self == default_area()

    def dbt_vars(self) -> dict:
        return {"area": asdict(self)}

    @classmethod
    def from_settings(cls, settings: dict) -> "Area":
        """The area as dbt_project.yml or area.json holds it. An area.json written before areas could span forces
        names its one force as `police_force`, whose files covered every district of the area."""
        settings = dict(settings)
        if "police_force" in settings:
            settings["police_forces"] = [{"name": settings.pop("police_force"), "districts": settings["districts"]}]
        forces = tuple(PoliceForce(force["name"], tuple(force["districts"])) for force in settings["police_forces"])
        return cls(**{**settings, "districts": tuple(settings["districts"]), "police_forces": forces})


def default_area() -> Area:
    """Greater Manchester, as dbt_project.yml's `area` var defines it (the one definition of the default)."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as f:
        return Area.from_settings(yaml.safe_load(f)["vars"]["area"])


def area_file(paths: HubPaths) -> Path:
    return paths.home / "area.json"


def current_area(paths: HubPaths) -> Area:
    stored = area_file(paths)
    if not stored.is_file():
        return default_area()
    return Area.from_settings(json.loads(stored.read_text(encoding="utf-8")))


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
    force_area_of = {row["ltla24_code"]: row["pfa24_code"] for row in rows}
    force_names = _police_uk_forces()
    forces = tuple(PoliceForce(force_names[force_area],
                               tuple(code for code in districts if force_area_of[code] == force_area))
                   for force_area in sorted({force_area_of[code] for code in districts}))
    if len(matches) == 1:
        kind, code, name, _ = matches[0]
    else:
        kind, code, name = "districts", "+".join(m[1] for m in matches), " and ".join(m[2] for m in matches)
    return Area(code=code, name=name, kind=kind, lookup="national", districts=districts, police_forces=forces)


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
    forces = [force.name for force in area.police_forces]
    lines.append(f"Police force{'s' if len(forces) > 1 else ''} (police.uk 'Falls within'): {', '.join(forces)}")
    lines.append(f"Stored in: {area_file(paths) if not area.is_default else 'nowhere (the default)'}")
    return lines


def _match(name: str, rows: list[dict]) -> tuple[str, str, str, list[dict]]:
    """(kind, code, name, district rows) of the first level whose code or name is `name`, case aside."""
    wanted = name.strip().casefold()
    if wanted in ("e11000001", "greater manchester"):
        wanted = GREATER_MANCHESTER_FORCE_AREA.casefold()
    for code, country, letters in COUNTRIES:
        if wanted in (code.casefold(), country.casefold()):
            return "country", code, country, [row for row in rows if row["ltla24_code"].startswith(letters)]
    for kind, prefix in (("police force area", "pfa24"), ("community safety partnership", "csp24"),
                         ("district", "ltla24")):
        matched = [row for row in rows
                   if wanted in (row[f"{prefix}_code"].casefold(), row[f"{prefix}_name"].casefold())]
        if matched:
            return kind, matched[0][f"{prefix}_code"], matched[0][f"{prefix}_name"], matched
    known = sorted({row[f"{prefix}_name"] for row in rows for prefix in ("pfa24", "csp24", "ltla24")}
                   | {country for _, country, _ in COUNTRIES})
    near = difflib.get_close_matches(name.strip(), known, n=3)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    raise UnknownArea(f"no country, police force area, community safety partnership or district is called or coded "
                      f"{name!r} in the national lookup ({DISTRICT_LOOKUP}){hint}")


def _district_rows(paths: HubPaths) -> list[dict]:
    with reference_file(DISTRICT_LOOKUP, paths.home).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _police_uk_forces() -> dict[str, str]:
    """Force area code -> police.uk's name of its force."""
    with POLICE_UK_FORCES.open(encoding="utf-8", newline="") as f:
        return {row["police_force_area_code"]: row["police_uk_force"] for row in csv.DictReader(f)}
