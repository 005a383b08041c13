"""The police suite catches each kind of defect, with the right severity, and records it for the quality lead."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import duckdb
import pytest

from tests.helpers import make_hub
from tests.browser import offline_page, stylesheets_loaded
from warehouse import gx_duckdb
from warehouse.quality import load_suites

HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
FORCE = "Greater Manchester Police"
NEXT_YEAR = f"{date.today().year + 1}-01"
DEFECTS = [  # one delivery, each row wrong in one way
    f"id1,{NEXT_YEAR},{FORCE},{FORCE},-2.46,53.62,On or near X,E01004768,Bolton 001A,Burglary,,",
    f"id2,2017-01,{FORCE},{FORCE},-2.46,53.62,On or near X,E1004768,Bolton 001A,Burglary,,",
    f"id3,2017-01,{FORCE},{FORCE},-2.46,53.62,On or near X,E01004768,Bolton 001A,Hovercraft theft,,",
    f",2017-01,{FORCE},{FORCE},-2.46,53.62,On or near X,E01004768,Bolton 001A,Robbery,,",
    f"id5,2017-01,{FORCE},{FORCE},151.2,-33.86,On or near Sydney Opera House,E01004768,Bolton 001A,Drugs,,",
]
# Right in every way: a Welsh LSOA's code starts W01 (an England and Wales hub places it); only E1004768 above is not
# a real-looking code.
WELSH_LSOA = f"id6,2017-01,{FORCE},{FORCE},-2.46,53.62,On or near Y,W01001690,Cardiff 032F,Burglary,,"


@pytest.fixture(scope="module")
def report(tmp_path_factory, real_dir, hub_template):
    hub = make_hub(tmp_path_factory.mktemp("quality"), hub_template)
    hub.ingest("police", real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv")
    defects = hub.paths.incoming / "defects.csv"
    defects.write_text(HEADER + "\n" + "\n".join([*DEFECTS, WELSH_LSOA]) + "\n", encoding="utf-8")
    hub.ingest("police", defects)
    hub.build()
    return hub, hub.check()


def by_meaning(report, words):
    (match,) = [r for r in report.results if words in (r.meaning or "")]
    return match


@pytest.mark.parametrize("words, severity, unexpected", [
    ("month that has not happened yet", "critical", 1),
    ("real-looking LSOA code", "critical", 1),
    ("in the hub's category map", "warning", 1),
    ("fourteen current categories", "warning", 1),
    ("has a police.uk Crime ID", "warning", 1),
    ("Longitudes fall within the United Kingdom", "warning", 1),
    ("Latitudes fall within the United Kingdom", "warning", 1),
    ("lie inside Greater Manchester's bounding box", "warning", 1),
])
def test_each_defect_is_caught_by_its_expectation_at_its_severity(report, words, severity, unexpected):
    _, quality = report
    result = by_meaning(quality, words)
    assert (result.success, result.severity, result.unexpected_count) == (False, severity, unexpected)


def test_clean_expectations_pass_with_real_observed_counts(report):
    _, quality = report
    not_null = [r for r in quality.results if r.expectation_type == "expect_column_values_to_not_be_null"]
    assert not_null and all(r.success and r.element_count == 2499 + len(DEFECTS) + 1 and r.unexpected_count == 0 for r in not_null)


def test_a_critical_failure_fails_the_gate_and_every_result_is_in_the_audit(report):
    hub, quality = report
    assert not quality.passed
    assert {r.meaning for r in quality.critical_failures} == {
        "No crime is recorded in a month that has not happened yet.",
        "Every neighbourhood code is a real-looking LSOA code (E01 in England, W01 in Wales, and six digits), so it can "
        "be placed in a ward.",
    }
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        recorded = con.execute(
            "select severity, success, unexpected_count, partner from audit.dq_results where run_id = ?",
            [quality.run_id]).fetchall()
    finally:
        con.close()
    assert len(recorded) == len(quality.results) == sum(len(suite["expectations"]) for suite in load_suites())
    assert {r.suite for r in quality.results} == {suite["name"] for suite in load_suites()}
    assert Counter((r.severity, r.success, r.unexpected_count, r.partner) for r in quality.results) == Counter(recorded)
    assert quality.data_docs_index.exists()


def test_the_duckdb_fix_refuses_to_guess_when_gx_changes(monkeypatch):
    monkeypatch.delattr(gx_duckdb.sqlalchemy_execution_engine, gx_duckdb.DIALECTS_ATTRIBUTE)
    with pytest.raises(RuntimeError, match="needs redoing"):
        gx_duckdb.enable_persistent_duckdb_connection()


def test_data_docs_index_every_suite_of_the_run_once(report):
    """The site is built once, after every suite has run: each suite's page exists and the index links it."""
    hub, quality = report
    index = quality.data_docs_index.read_text(encoding="utf-8")
    linked = set(re.findall(r'validations/[^"?]+?\.html', index))
    pages = {p.relative_to(hub.paths.data_docs).as_posix() for p in (hub.paths.data_docs / "validations").rglob("*.html")}
    assert linked == pages
    assert sorted(page.split("/")[1] for page in pages) == sorted({r.suite for r in quality.results})
    assert all(page.split("/")[2] == quality.run_id for page in pages)


def test_data_docs_render_styled_with_the_network_cut_off(report):
    hub, quality = report
    validation_page = next((hub.paths.data_docs / "validations").rglob("*.html"))
    attempted: list[str] = []
    with offline_page(attempted) as page:
        for name, html in (("index", quality.data_docs_index), ("validation", validation_page)):
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            sheets = stylesheets_loaded(page)
            assert sheets and all(rules > 0 for _, rules in sheets), sheets
            assert page.evaluate("typeof jQuery === 'function' && typeof jQuery.fn.bootstrapTable === 'function'")
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            assert "apple-system" in font, font  # Bootstrap's font stack, not the browser's serif default
            page.screenshot(path=str(hub.paths.reports / f"data_docs_{name}.png"), full_page=False)
        assert page.evaluate("typeof vegaEmbed === 'function'")
    assert attempted == []
    assert (hub.paths.reports / "data_docs_validation.png").stat().st_size > 10_000


def test_each_result_records_the_latest_month_its_table_held(report):
    """A result says which data it judged: the latest month of its suite's period column (read while the check's
    child starts), none for a suite without one or a table with no dated rows (no probation was delivered). The
    police delivery's latest month is the defect dated next year."""
    hub, quality = report
    suites = {suite["name"]: suite["meta"] for suite in load_suites()}
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        periods = dict(con.execute("select distinct suite, period from audit.dq_results where run_id = ?",
                                   [quality.run_id]).fetchall())
        dated = {name: con.execute(f"select count({meta['period_column']}) > 0 from {meta['table']}").fetchone()[0]
                 for name, meta in suites.items() if meta.get("period_column")}
    finally:
        con.close()
    assert set(periods) == set(suites)
    assert periods["raw_police_street_crime"] == periods["stg_police__street_crimes"] == NEXT_YEAR
    assert periods["fct_probation_caseload_ward_month"] is None and not dated["fct_probation_caseload_ward_month"]
    assert all(re.fullmatch(r"\d{4}-\d{2}", periods[name]) for name in dated if dated[name])
    assert all(periods[name] is None for name in set(suites) - {name for name in dated if dated[name]})
