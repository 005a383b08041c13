"""An unexpected-rows expectation runs its query once in a check (warehouse.gx_unexpected_rows), where GX 1.24 ran it
twice, for its rows and for their count, and showed only the count; a COMPLETE result, the one that shows the rows,
still fetches them."""

from __future__ import annotations

import duckdb
import pytest

from tests.quality.gx_numbers import validate_numbers
from warehouse.gx_unexpected_rows import UnexpectedRowsExpectation
from warehouse.paths import HubPaths
from warehouse.validation import validate_suites

FAILING, PASSING = "select * from {batch} where x > 2", "select * from {batch} where x > 10"
SUITE = {"name": "numbers", "meta": {"table": "marts.numbers", "partner": "all"}, "expectations": [
    {"type": "unexpected_rows_expectation", "kwargs": {"unexpected_rows_query": query}, "severity": "critical",
     "meta": {"meaning": meaning}}
    for query, meaning in ((FAILING, "No number above 2."), (PASSING, "No number above 10."))]}


@pytest.fixture
def hub(tmp_path) -> HubPaths:
    paths = HubPaths(tmp_path / "hub").ensure()
    con = duckdb.connect(str(paths.working_db))
    con.execute("create schema marts; create table marts.numbers as select range as x from range(1, 6)")
    con.close()
    return paths


def runs_of(statements: list[str], query: str) -> int:
    condition = query.split(" where ")[1]
    return sum(condition in statement for statement in statements)


def test_a_checks_unexpected_rows_query_runs_once_and_counts_the_rows(hub, tmp_path, statements):
    failing, passing = validate_suites(hub, [SUITE], "once", tmp_path / "site")
    assert (failing.success, failing.unexpected_count, failing.observed_value) == (False, 3, "3")
    assert (passing.success, passing.unexpected_count, passing.observed_value) == (True, 0, "0")
    assert (runs_of(statements, FAILING), runs_of(statements, PASSING)) == (1, 1)


def test_a_complete_result_still_holds_the_unexpected_rows(hub, statements):
    (result,) = validate_numbers(hub, [UnexpectedRowsExpectation(unexpected_rows_query=FAILING)], "COMPLETE")
    assert not result.success and result.result["observed_value"] == 3
    assert sorted(row["x"] for row in result.result["details"]["unexpected_rows"]) == [3, 4, 5]
    assert runs_of(statements, FAILING) == 2
