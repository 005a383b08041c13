"""Choosing a partnership area (warehouse/area.py) against the real national lookups: a country, or districts of two
force areas, takes every force whose police.uk files cover part of it, each with the area's districts in its force
area (what a month's file of it covers). A hub built end to end for England and Wales is tests/test_bench_national.py."""

from __future__ import annotations

import csv
import json

import pytest

from tests.integration.reference import _read
from warehouse.area import POLICE_UK_FORCES, current_area, default_area, resolve_area
from warehouse.paths import HubPaths


@pytest.fixture(scope="module")
def lookup() -> list[dict[str, str]]:
    return _read("ew_lad24_csp24_pfa24_lookup.csv")


@pytest.fixture(scope="module")
def force_names() -> dict[str, str]:
    with POLICE_UK_FORCES.open(encoding="utf-8", newline="") as f:
        return {row["police_force_area_code"]: row["police_uk_force"] for row in csv.DictReader(f)}


def _forces_of(districts: set[str], lookup, force_names) -> dict[str, set[str]]:
    """Force name -> the given districts in its force area, straight from the lookup."""
    forces: dict[str, set[str]] = {}
    for row in lookup:
        if row["ltla24_code"] in districts:
            forces.setdefault(force_names[row["pfa24_code"]], set()).add(row["ltla24_code"])
    return forces


@pytest.mark.parametrize("name, code, letters", [("England and Wales", "K04000001", ("E", "W")),
                                                 ("wales", "W92000004", ("W",)), ("E92000001", "E92000001", ("E",))])
def test_a_country_is_every_district_with_every_force_covering_its_own(tmp_path, lookup, force_names, name, code,
                                                                       letters):
    area = resolve_area([name], HubPaths(tmp_path))
    districts = {row["ltla24_code"] for row in lookup if row["ltla24_code"].startswith(letters)}
    assert (area.code, area.kind, area.lookup, set(area.districts)) == (code, "country", "national", districts)
    assert {force.name: set(force.districts) for force in area.police_forces} == _forces_of(districts, lookup,
                                                                                            force_names)


def test_districts_of_two_force_areas_are_one_area_covered_by_both_forces(tmp_path):
    area = resolve_area(["Leeds", "Bradford", "Sheffield"], HubPaths(tmp_path))
    assert area.kind == "districts" and area.name == "Leeds and Bradford and Sheffield"
    assert {force.name: force.districts for force in area.police_forces} == {
        "West Yorkshire Police": ("E08000032", "E08000035"), "South Yorkshire Police": ("E08000019",)}


def test_greater_manchester_s_force_covers_its_ten_districts():
    (force,) = default_area().police_forces
    assert force.name == "Greater Manchester Police"
    assert force.districts == tuple(f"E080000{n:02d}" for n in range(1, 11))


def test_an_area_stored_before_areas_could_span_forces_is_read_with_its_one_force(tmp_path):
    """area.json as `hub area Cleveland` wrote it before: one `police_force`, whose files covered the whole area."""
    paths = HubPaths(tmp_path)
    stored = {"code": "E23000013", "name": "Cleveland", "kind": "police force area", "lookup": "national",
              "districts": ["E06000001", "E06000002", "E06000003", "E06000004"], "police_force": "Cleveland Police"}
    (tmp_path / "area.json").write_text(json.dumps(stored), encoding="utf-8")
    assert current_area(paths) == resolve_area(["Cleveland"], paths)
