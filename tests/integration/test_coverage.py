"""A partial delivery is never published as zeros. The demo's December 2016 police street file is the real GMP file,
cut by its publisher to Bolton's rows: the other nine districts are not in it, so nothing of theirs that month may be
a 0 - not in the facts, the KPIs, the open data or a pack - while Bolton's figures, and a ward with no crime in a
covered month, stay counted."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.helpers import csv_rows, hub_cli
from tests.integration.reference import GEOGRAPHY, WardLookup

DECEMBER_2016 = "2016-12-01"
SUSPECTED_PARTIAL = "suspected partial delivery"


@pytest.fixture(scope="module")
def published(demo):
    con = duckdb.connect(str(demo[0] / "published" / "hub.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def delivered_districts(real_dir) -> set[str]:
    """The districts the real December 2016 file has rows in, placed independently of the warehouse."""
    lookup = WardLookup.load()
    rows = csv_rows(real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv")
    district_of_ward = {r["wd22cd"]: r["lad22cd"] for r in csv_rows(GEOGRAPHY / "gm_ward22_to_lad22_lookup.csv")}
    return {district_of_ward[lookup.ward_of(r["LSOA code"])] for r in rows if r["LSOA code"] in lookup.lsoa11_codes}


@pytest.fixture(scope="module")
def left_out(published, delivered_districts) -> set[str]:
    districts = {code for (code,) in published.execute("select district_code from marts.dim_district").fetchall()}
    assert delivered_districts == {"E08000001"}  # Bolton: the file is as its publisher cut it
    return districts - delivered_districts


def test_the_districts_left_out_are_null_with_the_reason_in_the_facts(published, left_out):
    for table, key in (("fct_ward_month", "ward_code"), ("fct_district_month", "district_code")):
        cells = published.execute(f"""
            select district_code, coverage, count(*) as cells, count(incident_count) as counted
            from marts.{table}
            where partner = 'police' and feed = 'street_crime' and month_start = date '{DECEMBER_2016}'
            group by all order by all
        """).fetchall()
        by_district = {district: (coverage, counted) for district, coverage, _, counted in cells}
        assert set(by_district) == left_out | {"E08000001"}, table
        assert all(by_district[d] == (SUSPECTED_PARTIAL, 0) for d in left_out), (table, cells)
        assert by_district["E08000001"][0] == "covered" and by_district["E08000001"][1] > 0, table


def test_a_ward_with_no_crime_in_a_covered_month_stays_a_delivered_zero(published):
    (zeros,) = published.execute(f"""
        select count(*) from marts.fct_ward_month
        where partner = 'police' and feed = 'street_crime' and month_start = date '{DECEMBER_2016}'
          and district_code = 'E08000001' and incident_count = 0
    """).fetchone()
    assert zeros > 0


def test_the_scorecard_warns_of_the_suspected_partial_delivery(demo, published, left_out):
    row = published.execute(f"""
        select suspected_partial_districts, districts_not_covered from marts.dq_partner_scorecard
        where partner = 'police' and feed = 'street_crime' and month_start = date '{DECEMBER_2016}'
    """).fetchone()
    assert row == (len(left_out), len(left_out))
    # the quality results stay in the working database: only the marts, open data and the loads are published
    working = duckdb.connect(str(demo[0] / "hub.duckdb"), read_only=True)
    try:
        (warned,) = working.execute("""
            select count(*) from audit.dq_results
            where run_id = (select max(run_id) from audit.dq_results) and suite = 'dq_partner_scorecard'
              and column_name = 'suspected_partial_districts' and not success and severity = 'warning'
        """).fetchone()
    finally:
        working.close()
    assert warned == 1


def test_no_kpi_counts_a_left_out_district_or_greater_manchester_over_the_partial_month(published, left_out):
    street_kpis = [k for (k,) in published.execute(
        "select kpi_id from reference.kpi_definitions where partner = 'police' and feed = 'street_crime'").fetchall()]
    assert street_kpis
    month_rows = published.execute(f"""
        select level, area_code from marts.kpi_results
        where list_contains(?, kpi_id) and period_type = 'month' and period_start = date '{DECEMBER_2016}'
          and level in ('district', 'gm')
    """, [street_kpis]).fetchall()
    assert {area for _, area in month_rows} == {"E08000001"}  # Bolton only: no 0 for the others, no GM total
    spanning = published.execute(f"""
        select level, area_code, period_type, period_label, months_with_data, months_in_period, is_complete, z_score
        from marts.kpi_results
        where list_contains(?, kpi_id) and date '{DECEMBER_2016}' between period_start and period_end
          and (list_contains(?, area_code) or level = 'gm')
    """, [street_kpis, sorted(left_out)]).fetchall()
    assert spanning
    assert all(not r[6] and r[4] < r[5] and r[7] is None for r in spanning), [r for r in spanning if r[6]]


def test_the_open_data_leaves_the_left_out_districts_blank_with_the_reason(demo, left_out):
    count_column = "incident_or_offender_count"
    folder = demo[0] / "published" / "open"
    for name, area in (("open_ward_month.csv", "district_code"), ("open_district_month.csv", "district_code")):
        rows = [r for r in csv_rows(folder / name)
                if r["partner"] == "police" and r["feed"] == "street_crime" and r["month_start"] == DECEMBER_2016]
        left = [r for r in rows if r[area] in left_out]
        assert left and all(r[count_column] == "" and r["rate_per_1000_population"] == "" for r in left), name
        assert Counter(r["coverage"] for r in left) == Counter({SUSPECTED_PARTIAL: len(left)}), name
        assert all(r["coverage"] == "covered" and r[count_column] != "" for r in rows if r[area] == "E08000001"), name


def test_the_pack_for_a_left_out_district_says_the_month_is_not_covered(demo):
    home, _ = demo
    result = hub_cli(home, "pack", "Salford", "--period", "2016-12")
    assert result.returncode == 0, result.stdout + result.stderr
    html = Path(result.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert 'data-feed="police/street_crime" data-coverage="suspected partial delivery"' in html
    assert "December 2016" in html
