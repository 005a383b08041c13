"""A partnership outside Greater Manchester, for real: a fresh hub, `hub area Cleveland`, the two real Cleveland
police.uk files, build, check, publish. Ward and district figures are checked against an independent count through
the national lookups (police.uk's 2011 LSOA -> 2021 LSOA best fit -> 2024 ward -> district)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.helpers import csv_rows, hub_cli
from tests.integration.reference import _read
from warehouse.paths import HubPaths
from warehouse.transform import plan_build

CLEVELAND = "E23000013"
CLEVELAND_FILES = ("2022-03-cleveland-street.csv", "2022-06-cleveland-street.csv")


def _ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def cleveland_districts() -> dict[str, str]:
    """District code -> name of the Cleveland police force area, from the national lookup."""
    return {r["ltla24_code"]: r["ltla24_name"] for r in _read("ew_lad24_csp24_pfa24_lookup.csv")
            if r["pfa24_code"] == CLEVELAND}


@pytest.fixture(scope="module")
def cleveland_wards(cleveland_districts) -> dict[str, str]:
    """Ward code -> district code of every 2024 ward the national LSOA best fit places in Cleveland's districts."""
    return {r["ward24_code"]: r["ltla24_code"] for r in _read("ew_lsoa21_ward24_lad24_lookup.csv")
            if r["ltla24_code"] in cleveland_districts}


@pytest.fixture(scope="module")
def independent_counts(real_dir, cleveland_districts) -> tuple[Counter, int, int]:
    """(crimes per (district, month) in Cleveland, rows placed outside it, rows read), counted in plain Python."""
    lsoa21_of_lsoa11 = {r["LSOA11CD"]: r["LSOA21CD"] for r in _read("ew_lsoa11_lsoa21_lad22_lookup.csv")}
    district_of_lsoa21 = {r["lsoa21_code"]: r["ltla24_code"] for r in _read("ew_lsoa21_ward24_lad24_lookup.csv")}
    inside, outside, rows = Counter(), 0, 0
    for name in CLEVELAND_FILES:
        with (real_dir / "police_street" / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                rows += 1
                district = district_of_lsoa21.get(lsoa21_of_lsoa11.get(row["LSOA code"], ""))
                if district in cleveland_districts:
                    inside[(district, f"{row['Month']}-01")] += 1
                elif row["LSOA code"]:
                    outside += 1
    return inside, outside, rows


@pytest.fixture(scope="module")
def cleveland_hub(tmp_path_factory, real_dir) -> tuple[Path, dict[str, str]]:
    """(HUB_HOME of a published Cleveland hub, what each `hub area` call printed)."""
    home = tmp_path_factory.mktemp("cleveland")
    printed = {"default": _ok(hub_cli(home, "area"))}
    unknown = hub_cli(home, "area", "Clevland")
    printed["unknown"] = unknown.stdout
    printed["unknown_exit"] = str(unknown.returncode)
    printed["after_unknown"] = _ok(hub_cli(home, "area"))
    printed["chosen"] = _ok(hub_cli(home, "area", "Cleveland"))
    printed["shown"] = _ok(hub_cli(home, "area"))
    _ok(hub_cli(home, "ingest", "police", *(str(real_dir / "police_street" / name) for name in CLEVELAND_FILES)))
    _ok(hub_cli(home, "build"))
    _ok(hub_cli(home, "check"))
    _ok(hub_cli(home, "publish", "--open"))
    return home, printed


@pytest.fixture
def published(cleveland_hub):
    con = duckdb.connect(str(cleveland_hub[0] / "published" / "hub.duckdb"), read_only=True)
    yield con
    con.close()


def test_hub_area_shows_greater_manchester_by_default_then_the_chosen_area(cleveland_hub):
    printed = cleveland_hub[1]
    assert "Greater Manchester (E11000001)" in printed["default"] and "the default" in printed["default"]
    for shown in (printed["chosen"], printed["shown"]):
        assert "Cleveland (E23000013), police force area" in shown
        assert "Hartlepool (E06000001), Middlesbrough (E06000002), Redcar and Cleveland (E06000003), " \
               "Stockton-on-Tees (E06000004)" in shown
        assert "Cleveland Police" in shown


def test_hub_status_names_the_area(cleveland_hub):
    status = _ok(hub_cli(cleveland_hub[0], "status"))
    assert "Cleveland" in status and "E23000013" in status and "2024 wards of the national lookup" in status


def test_an_unknown_area_is_a_usage_error_naming_it_and_changes_nothing(cleveland_hub):
    printed = cleveland_hub[1]
    assert printed["unknown_exit"] == "2"
    assert "'Clevland'" in printed["unknown"] and "did you mean 'Cleveland'" in printed["unknown"]
    assert printed["after_unknown"] == printed["default"]


def test_the_districts_are_the_four_of_the_force_area_with_the_lookups_names(published, cleveland_districts):
    rows = published.execute("select district_code, district_name, county_code, county_name "
                             "from marts.dim_district").fetchall()
    assert sorted(rows) == sorted((code, name, CLEVELAND, "Cleveland") for code, name in cleveland_districts.items())


def test_every_ward_of_the_four_districts_has_ward_facts(published, cleveland_wards):
    wards = dict(published.execute("select ward_code, district_code from marts.dim_ward").fetchall())
    assert wards == cleveland_wards
    with_facts = published.execute(
        "select month_start, count(distinct ward_code) from marts.fct_ward_month "
        "where partner = 'police' and feed = 'street_crime' and incident_count is not null group by month_start"
    ).fetchall()
    assert sorted((str(month), n) for month, n in with_facts) == [
        ("2022-03-01", len(cleveland_wards)), ("2022-06-01", len(cleveland_wards))]


def test_district_counts_equal_an_independent_count_through_the_national_lookups(published, independent_counts):
    inside, _, _ = independent_counts
    counted = published.execute(
        "select district_code, strftime(month_start, '%Y-%m-%d'), sum(incident_count) from marts.fct_district_month "
        "where partner = 'police' and feed = 'street_crime' and incident_count is not null group by all").fetchall()
    assert {(district, month): n for district, month, n in counted} == dict(inside)


def test_rows_outside_the_area_are_counted_not_dropped(published, independent_counts):
    inside, outside, rows = independent_counts
    placed = dict(published.execute(
        "select coalesce(cast(is_in_gm as varchar), 'unplaced'), count(*) from marts.fct_incidents "
        "group by all").fetchall())
    assert sum(placed.values()) == rows
    assert placed["true"] == sum(inside.values())
    assert placed["false"] == outside > 0


def test_the_area_level_kpis_open_data_and_no_vli_are_cleveland_s(cleveland_hub, published, cleveland_districts):
    levels = published.execute("select distinct level, area_code, area_name from marts.kpi_results "
                               "where level <> 'ward' and level <> 'district'").fetchall()
    assert levels == [("gm", CLEVELAND, "Cleveland")]
    open_districts = {row["district_code"] for row in
                      csv_rows(cleveland_hub[0] / "published" / "open" / "open_district_month.csv")}
    assert open_districts == set(cleveland_districts)
    # the VLI rests on GM's IMD 2015 alone: another area gets none rather than a wrong one
    assert published.execute("select count(*) from marts.vli_ward").fetchone() == (0,)


def test_a_district_pack_is_written_for_the_area(cleveland_hub):
    path = Path(_ok(hub_cli(cleveland_hub[0], "pack", "Stockton-on-Tees", "--period", "month")).strip())
    assert path.name == "E06000004-2022-06.html" and "Stockton-on-Tees" in path.read_text(encoding="utf-8")



def test_changing_the_area_of_a_built_hub_says_so_and_the_next_build_is_whole(cleveland_hub):
    """Last in this module: it sets the hub back to Greater Manchester."""
    home = cleveland_hub[0]
    changed = _ok(hub_cli(home, "area", "Greater Manchester"))
    assert "The area changed from Cleveland: the next `hub build` rebuilds every table for Greater " \
           "Manchester" in changed
    plan = plan_build(HubPaths(home))
    assert plan.full_refresh and plan.reason == "the dbt project or the area changed"
