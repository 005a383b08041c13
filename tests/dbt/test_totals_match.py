"""The facts' reconciliation with fct_incidents (macros/test_totals_match.sql) totals the incidents once for each
partner, feed, month and district and keeps the groups their feed covers: what it compares with must still be every
covered incident's count, row by row, and a fact that counts an incident its feed does not cover must still stop the
build."""

from __future__ import annotations

import duckdb
import pytest

from tests.helpers import copy_hub, make_hub
from warehouse.transform import TransformError, run_dbt

COVERED_INCIDENTS = """
    select count(*) filter (where ward_code is not null), count(*) filter (where is_in_gm)
    from marts.fct_incidents as incident
    where exists (select 1 from intermediate.int_feed_coverage as coverage
                  where coverage.is_covered and coverage.partner = incident.partner and coverage.feed = incident.feed
                  and coverage.month_start = incident.month_start
                  and coverage.district_code = incident.district_code)
"""
FACT_TOTALS = """
    select (select sum(incident_count) from marts.fct_ward_month),
           (select sum(incident_count) from marts.fct_district_month)
"""
# The district-month of the file's incidents, taken out of its feed's coverage after the facts were built.
UNCOVER = """
    update intermediate.int_feed_coverage set is_covered = false
    where (partner, feed, month_start, district_code) in (
        select (partner, feed, month_start, district_code) from marts.fct_incidents where is_in_gm limit 1)
"""


def test_the_totals_compared_are_every_covered_incident_and_an_uncovered_count_stops_the_build(
        published_gmp_hub, tmp_path):
    hub = make_hub(copy_hub(published_gmp_hub, tmp_path / "hub"))
    con = duckdb.connect(str(hub.paths.working_db))
    try:
        facts = con.execute(FACT_TOTALS).fetchone()
        assert facts == con.execute(COVERED_INCIDENTS).fetchone() and facts[0] > 0
        con.execute(UNCOVER)
        recounted = con.execute(COVERED_INCIDENTS).fetchone()
    finally:
        con.close()
    assert recounted[0] < facts[0] and recounted[1] < facts[1]

    with pytest.raises(TransformError) as stopped:
        run_dbt(hub.paths, "test", "--select", "test_name:totals_match")

    message = str(stopped.value)
    assert "Failure in test totals_match_fct_ward_month" in message, message
    assert "Failure in test totals_match_fct_district_month" in message, message
    compared = {}
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        # the tests' queries as dbt compiled them (dbt shortens a long test name in its file's name)
        for path in (hub.paths.dbt_dir / "target" / "compiled").rglob("_core__models.yml/totals_match_fct_*.sql"):
            sql = path.read_text(encoding="utf-8")
            fact = next(f for f in ("fct_ward_month", "fct_district_month") if f'"{f}"' in sql)
            compared[fact] = con.execute(sql).fetchall()
    finally:
        con.close()
    assert compared == {"fct_ward_month": [(facts[0], recounted[0])],
                        "fct_district_month": [(facts[1], recounted[1])]}
