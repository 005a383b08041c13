"""Reference data is loaded, not committed, and every ward's denominators are ONS figures (the demo's hub).

The demo loads the reference files of reference/manifest.toml on its first build, through the contract engine.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from tests.helpers import hub_cli
from tests.integration.reference import POPULATION

GM_MID_2016_POPULATION = 2_782_141  # ONS mid-2016 estimate for Greater Manchester
# Hale Central (Trafford), recounted by hand: its five 2011 LSOAs kept their codes in 2021 and best-fit the ward;
# ONS mid-2016 persons 1,320 + 1,787 + 1,636 + 1,860 + 1,781 = 8,384.
HALE_CENTRAL = "E05000831"
HALE_CENTRAL_LSOAS = {"E01006083": 1320, "E01006084": 1787, "E01006088": 1636, "E01006139": 1860, "E01006140": 1781}
HALE_CENTRAL_2016 = 8384


@pytest.fixture(scope="module")
def working(demo):
    """The demo's working database: the intermediate tables the denominators are built in are not published."""
    home, _ = demo
    con = duckdb.connect(str(home / "hub.duckdb"), read_only=True)
    yield home, con
    con.close()


def test_every_reference_feed_is_loaded_through_the_engine_and_audited(working):
    _, con = working
    loads = {feed: (read, loaded, rejected) for feed, read, loaded, rejected in con.execute(
        "select feed, rows_read, rows_loaded, rows_rejected from audit.loads "
        "where partner = 'reference' and status = 'loaded' and feed <> 'postcode_directory'").fetchall()}
    assert set(loads) == {"ward_districts", "lsoa21_wards", "oa11_lookup", "oa21_lookup", "lsoa11_lsoa21",
                          "imd2015_domains", "population_mid2016", "population_mid2019", "population_mid2020",
                          "census2021_residents", "census2021_households", "stats19_codes", "gm_lsoa21_boundaries",
                          "gm_ward22_boundaries", "postcode_centroids", "lsoa21_ward24", "district_csp_pfa"}
    assert all(read == loaded + rejected for read, loaded, rejected in loads.values())
    # the national lookups `hub area` takes another area's wards and districts from, every row of them
    assert loads["lsoa21_ward24"] == (35672, 35672, 0) and loads["district_csp_pfa"] == (332, 332, 0)
    assert loads["population_mid2016"] == (1673, 1673, 0)
    assert loads["census2021_residents"][2] == 7  # the ONS footnote lines under the table, refused with a reason
    assert (loads["gm_lsoa21_boundaries"], loads["gm_ward22_boundaries"]) == ((1702, 1702, 0), (215, 215, 0))
    assert loads["postcode_centroids"] == (111_757, 111_757, 0)


def test_greater_manchesters_mid_2016_population_equals_the_ons_figure(working):
    _, con = working
    (total,) = con.execute("select sum(population) from intermediate.int_population_ward_year where year = 2016").fetchone()
    assert total == pytest.approx(GM_MID_2016_POPULATION, abs=0.5)


def test_one_wards_population_recounted_by_hand(working):
    _, con = working
    with (POPULATION / "gm_lsoa11_mid2016_single_year_of_age.csv").open(encoding="utf-8", newline="") as f:
        in_file = {r["lsoa11cd"]: int(float(r["total_pop"])) for r in csv.DictReader(f) if r["lsoa11cd"] in HALE_CENTRAL_LSOAS}
    assert in_file == HALE_CENTRAL_LSOAS and sum(in_file.values()) == HALE_CENTRAL_2016
    row = con.execute("select population, population_year, population_source, population_is_estimate "
                      "from intermediate.int_population_ward_year where ward_code = ? and year = 2016",
                      [HALE_CENTRAL]).fetchone()
    assert row == (HALE_CENTRAL_2016, 2016, "ONS mid-2016 LSOA estimates, single year of age", False)


def test_every_ward_and_year_has_an_ons_population_from_the_nearest_estimate(working):
    _, con = working
    rows = con.execute("select year, population_year, count(*), count(population), count(households), "
                       "bool_or(population_is_estimate), bool_and(households_is_estimate) "
                       "from intermediate.int_population_ward_year group by all order by year").fetchall()
    assert rows and all(count == 215 == populated == households for _, _, count, populated, households, _, _ in rows)
    for year, used, *_ in rows:  # the nearest of the ONS figures held, the earlier of two as near
        assert used == min((2016, 2019, 2020, 2021), key=lambda estimate: (abs(estimate - year), estimate)), year
    assert not any(estimated for *_, estimated, _ in rows)
    assert all(scaled == (used != 2021) for _, used, *_, scaled in rows)  # households are counted only in 2021


def test_no_ward_rate_rests_on_an_estimated_population(working):
    _, con = working
    (estimated,) = con.execute("select count(*) from marts.fct_ward_month where population_is_estimate").fetchone()
    assert estimated == 0
    (kpi_estimated,) = con.execute("select count(*) from marts.kpi_results "
                                   "where denominator_kind = 'population' and denominator_is_estimate").fetchone()
    assert kpi_estimated == 0


def test_a_file_that_is_not_reference_data_is_refused_with_its_nearest_layout(tmp_path):
    wrong = tmp_path / "lookup.csv"
    wrong.write_text("lsoa11cd,wd22cd\nE01006083,E05000831\n", encoding="utf-8")
    result = hub_cli(tmp_path / "hub", "ingest", "reference", str(wrong))
    assert result.returncode == 1
    assert "is not in any reference format" in result.stdout and "lookup.csv" in result.stdout


def test_the_reference_data_mart_and_hub_status_show_each_feeds_vintage_rows_and_coverage(working):
    home, con = working
    row = con.execute("select vintage, rows_loaded, gm_lsoas_covered, gm_lsoas, gm_coverage_pct "
                      "from marts.dq_reference_data where feed = 'population_mid2016'").fetchone()
    assert row == ("ONS mid-2016", 1673, 1673, 1673, 100.0)
    (feeds,) = con.execute("select count(*) from marts.dq_reference_data").fetchone()
    assert feeds == 17  # the twelve GM-era feeds, the three polygon and postcode feeds, the two national lookups
    placed = con.execute("select vintage, rows_loaded, gm_lsoas_covered, gm_lsoas from marts.dq_reference_data "
                         "where feed = 'postcode_centroids'").fetchone()
    assert placed == ("ONSPD August 2018", 111_757, 1702, 1702)
    status = hub_cli(home, "status")
    assert status.returncode == 0
    assert "Reference data" in status.stdout
    assert any("population_mid2016" in line and "1,673 of 1,673" in line for line in status.stdout.splitlines())
