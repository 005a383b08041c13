"""The scorecard and its suite catch a month at ten times its usual volume, a late delivery and an overdue feed."""

from __future__ import annotations

import os
from datetime import date, datetime

import duckdb
import pytest

from tests.helpers import make_hub

HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
ROW = "{id},{month},Greater Manchester Police,Greater Manchester Police,-2.43,53.58,On or near High Street,E01004768,Bolton 001A,Burglary,Under investigation,"
# (month, rows, delivered): due 45 days after the month ends; April is ten times the usual volume and 30 days late.
DELIVERIES = [
    ("2017-01", 20, datetime(2017, 2, 20)),
    ("2017-02", 22, datetime(2017, 3, 20)),
    ("2017-03", 18, datetime(2017, 4, 20)),
    ("2017-04", 200, datetime(2017, 7, 14)),
]
AS_AT = date(2017, 9, 1)  # May was due on 15 July: 48 days overdue


@pytest.fixture(scope="module")
def checked(tmp_path_factory, hub_template):
    hub = make_hub(tmp_path_factory.mktemp("feed_health"), hub_template)
    hub = type(hub)(hub.paths, as_at=AS_AT)
    for month, rows, delivered in DELIVERIES:
        path = hub.paths.incoming / f"{month}-greater-manchester-street.csv"
        path.write_text("\n".join([HEADER] + [ROW.format(id=f"{month}-{i}", month=month) for i in range(rows)]) + "\n")
        os.utime(path, (delivered.timestamp(),) * 2)
        hub.ingest("police", path)
    hub.build()
    return hub, hub.check()


def failed(report, words):
    (result,) = [r for r in report.results if words in (r.meaning or "")]
    return (result.success, result.severity, result.unexpected_count)


def test_a_month_at_ten_times_its_usual_volume_is_flagged(checked):
    _, report = checked
    assert failed(report, "between half and double the average") == (False, "warning", 1)


def test_a_late_delivery_is_flagged(checked):
    _, report = checked
    assert failed(report, "arrived by its due date") == (False, "warning", 1)


def test_an_overdue_feed_is_flagged(checked):
    _, report = checked
    assert failed(report, "No feed has a month overdue") == (False, "warning", 1)


# With police.uk files only, these warnings are true of every hub, whatever the feed's health: rates use estimated
# populations, and the VLI has no recorded crime for its crime domain.
# (Every rate rests on an ONS population now, so kpi_results' estimated-denominator warning no longer fires here.)
WARNINGS_WITHOUT_RECORDED_CRIME = {("vli_lsoa", "crime_domain_index"), ("vli_lsoa", "crime_months")}


def test_warnings_alone_do_not_stop_publication(checked):
    _, report = checked
    feed_health = [(r.suite, r.column) for r in report.warning_failures if r.suite == "dq_partner_scorecard"]
    others = {(r.suite, r.column) for r in report.warning_failures if r.suite != "dq_partner_scorecard"}
    assert report.passed
    assert sorted(feed_health) == [("dq_partner_scorecard", c) for c in ("days_late", "next_month_overdue_days",
                                                                          "volume_vs_recent_ratio")]
    assert others == WARNINGS_WITHOUT_RECORDED_CRIME


def test_the_scorecard_shows_the_figures_behind_the_warnings(checked):
    hub, report = checked
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        rows = con.execute("""
            select strftime(month_start, '%Y-%m'), rows_received, days_late, round(volume_vs_recent_ratio, 2),
                   next_month_overdue_days, latest_quality_run, expectations_failed
            from marts.dq_partner_scorecard order by month_start
        """).fetchall()
    finally:
        con.close()
    assert [r[:5] for r in rows] == [
        ("2017-01", 20, 0, None, None),
        ("2017-02", 22, 0, 1.1, None),  # 22 / 20
        ("2017-03", 18, 0, 0.86, None),  # 18 / mean(20, 22)
        ("2017-04", 200, 30, 10.0, 48),  # 200 / mean(20, 22, 18); due 14 June, came 14 July
    ]
    assert {r[5] for r in rows} == {report.run_id}  # refreshed after the check: it reports this run
    assert {r[6] for r in rows} == {sum(1 for x in report.results if x.partner == "police" and not x.success)}
