"""The plain-SQL quality checks (bench/quality_sql.py) give Great Expectations' verdict on every expectation.

Benchmark issue #6 times `hub check` against them, which is only fair if both judge the same: same success, same
unexpected count (None where GX reports none). Proven on the demo as its own `hub check` judged it, on a copy broken
on purpose (GX re-run there), and on a small table of the edge cases where GX's semantics are easy to get wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from bench.quality_sql import UntranslatedExpectation, expectation_sql, run_sql_checks
from warehouse.paths import HubPaths
from warehouse.quality import load_suites, validation_process


def by_expectation(results) -> dict[tuple, tuple]:
    """Results of either engine, keyed by what names an expectation: a suite may check one column twice."""
    verdicts = {(r.suite, r.expectation_type, r.column, r.severity, r.meaning): (r.success, r.unexpected_count)
                for r in results}
    assert len(verdicts) == len(results), "two expectations share a key"
    return verdicts


def latest_gx_run(database: Path) -> dict[tuple, tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute("""
            select suite, expectation_type, column_name, severity, meaning, success, unexpected_count
            from audit.dq_results
            where run_id = (select run_id from audit.dq_results order by run_at desc limit 1)
        """).fetchall()
    finally:
        con.close()
    return {row[:5]: row[5:] for row in rows}


def gx_verdicts(paths: HubPaths, suites: list[dict]):
    """GX on paths.working_db, in a child process as `hub check` runs it (GX keeps its connection open)."""
    from warehouse.validation import validate_suites

    with validation_process() as child:
        return child.submit(validate_suites, paths, suites, "test_quality_sql", paths.home / "data_docs").result()


def verdict(results, suite: str, expectation_type: str, column: str | None = None) -> tuple:
    (found,) = [(r.success, r.unexpected_count) for r in results
                if (r.suite, r.expectation_type, r.column) == (suite, expectation_type, column)]
    return found


def test_on_the_demo_every_expectation_gets_the_verdict_gx_gave(demo):
    working = demo[0] / "hub.duckdb"  # GX's results, like the raw and intermediate tables, are not published
    gx = latest_gx_run(working)
    sql = by_expectation(run_sql_checks(working))

    assert len(sql) == sum(len(suite["expectations"]) for suite in load_suites())
    assert sql == gx
    # the demo's honest warnings mean failures and non-zero counts are compared too, not only passes
    assert any(not success for success, _ in gx.values())
    assert any(count for _, count in gx.values())


def test_a_broken_copy_fails_the_same_expectations_with_the_same_counts_in_both(demo, tmp_path):
    paths = HubPaths(tmp_path)
    shutil.copyfile(demo[0] / "hub.duckdb", paths.working_db)
    con = duckdb.connect(str(paths.working_db))
    try:
        first_row = "from raw.police_street_crime order by load_id, source_row limit 1"
        con.execute(f"insert into raw.police_street_crime select * {first_row}")  # loaded twice
        con.execute("insert into raw.police_street_crime select * replace (null as month, 99.0 as longitude, "
                    f"-1 as source_row) {first_row}")  # staging: no month, a longitude off the map
        con.execute("insert into marts.dim_ward select * from marts.dim_ward limit 1")
        unresolved_before = con.execute(
            "select count(*) from intermediate.int_incidents_placed where geo_method = 'unresolved'").fetchone()[0]
        flipped = con.execute("""
            update intermediate.int_incidents_placed set geo_method = 'unresolved'
            where rowid in (select rowid from intermediate.int_incidents_placed
                            where geo_method <> 'unresolved' order by load_id, source_row limit 1000)
        """).fetchone()[0]
    finally:
        con.close()
    suites = [s for s in load_suites()
              if s["name"] in {"raw_police_street_crime", "stg_police__street_crimes", "dim_ward", "fct_incidents"}]

    sql = run_sql_checks(paths.working_db, suites)

    assert by_expectation(sql) == by_expectation(gx_verdicts(paths, suites))
    assert verdict(sql, "raw_police_street_crime", "expect_compound_columns_to_be_unique") == (False, 2)
    staging = "stg_police__street_crimes"
    assert verdict(sql, staging, "expect_column_values_to_not_be_null", "occurred_month") == (False, 1)
    assert verdict(sql, staging, "expect_column_values_to_be_between", "longitude") == (False, 1)
    assert verdict(sql, "dim_ward", "expect_column_values_to_be_unique", "ward_code") == (False, 2)  # both copies
    assert verdict(sql, "dim_ward", "expect_table_row_count_to_equal") == (False, None)
    # past 1% unresolved, `mostly: 0.99` no longer forgives it
    assert verdict(sql, "fct_incidents", "expect_column_values_to_not_be_in_set", "geo_method") == (
        False, unresolved_before + flipped)


def expect(kind: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs, "severity": "warning", "meta": {"meaning": f"{kind} {kwargs}"}}


BETWEEN = "expect_column_values_to_be_between"
EDGE_CASES = [
    expect(BETWEEN, column="n", min_value=2),                         # min only; nulls ignored
    expect(BETWEEN, column="n", max_value=2),                         # max only
    expect(BETWEEN, column="n", min_value=2, strict_min=True),
    expect(BETWEEN, column="n", min_value=1, max_value=5, strict_max=True),
    expect(BETWEEN, column="f", min_value=1.5, max_value=2.0),        # NaN is a value, out of range
    expect(BETWEEN, column="n", min_value=2, mostly=0.8),             # 4 of 5 non-null pass: exactly mostly
    expect("expect_column_values_to_be_in_set", column="s", value_set=["a", "b"]),
    expect("expect_column_values_to_be_in_set", column="s", value_set=[]),
    expect("expect_column_values_to_not_be_in_set", column="s", value_set=["a"], mostly=0.5),
    expect("expect_column_values_to_be_unique", column="n"),          # every copy counts
    expect("expect_column_values_to_not_be_null", column="n", mostly=0.71),  # a share of all rows
    expect("expect_compound_columns_to_be_unique", column_list=["k1", "k2"]),  # a key with a null is not a duplicate
    expect("expect_column_distinct_values_to_equal_set", column="s", value_set=["a", "b", "c"]),
    expect("expect_column_distinct_values_to_equal_set", column="s", value_set=["a", "b", "c", "Z", "q"]),
    expect("expect_table_columns_to_match_set", column_set=["N", "s", "f", "k1"], exact_match=False),  # any case
    expect("expect_table_columns_to_match_set", column_set=["N", "s", "f", "k1"], exact_match=True),
    expect("expect_table_row_count_to_equal", value=7),
    expect("unexpected_rows_expectation",
           unexpected_rows_query="select * from {batch} where regexp_matches(s, '^[a-z]{{1}}$')"),
]
EMPTY_TABLE_CASES = [  # no rows: GX passes, and its summed counts are None rather than 0
    expect(BETWEEN, column="n", min_value=2),
    expect("expect_column_values_to_not_be_null", column="n"),
    expect("expect_column_values_to_be_unique", column="n"),
    expect("expect_compound_columns_to_be_unique", column_list=["n", "s"]),
]


def test_edge_cases_of_gx_semantics_get_the_same_verdict(tmp_path):
    paths = HubPaths(tmp_path)
    con = duckdb.connect(str(paths.working_db))
    try:
        con.execute("create schema edge")
        con.execute("""
            create table edge.t as select * from (values
                (1, 'a', 1.5, 1, 1), (2, 'b', 2.0, 1, 1), (2, null, null, 1, null), (null, 'a', 3.0, 1, null),
                (null, null, 'nan'::double, null, null), (5, 'Z', 2.0, null, null), (7, 'c', -1.0, 2, 3)
            ) as v(n, s, f, k1, k2)
        """)
        con.execute("create table edge.empty (n integer, s varchar)")
    finally:
        con.close()
    suites = [{"name": "edge", "meta": {"table": "edge.t"}, "expectations": EDGE_CASES},
              {"name": "empty", "meta": {"table": "edge.empty"}, "expectations": EMPTY_TABLE_CASES}]

    sql = by_expectation(run_sql_checks(paths.working_db, suites))

    assert sql == by_expectation(gx_verdicts(paths, suites))
    assert {success for success, _ in sql.values()} == {True, False}


@pytest.mark.parametrize("expectation, complaint", [
    (expect("expect_column_values_to_match_regex", column="s", regex="^a"), "no SQL translation for expect_column"),
    (expect("expect_column_values_to_not_be_null", column="s", row_condition='col("n") > 1'), "row_condition"),
    (expect(BETWEEN, column="n"), "cannot both be None"),
    (expect("expect_column_values_to_be_in_set", column="s"), "needs the kwarg 'value_set'"),
])
def test_an_expectation_without_a_translation_is_refused_not_skipped(expectation, complaint):
    with pytest.raises(UntranslatedExpectation, match=complaint):
        expectation_sql(expectation, "edge.t")
