"""The build benchmark's alternatives to dbt compute the same numbers as the hub: the hand-written SQL script
(bench/handwritten.sql) and the pandas script (bench/pandas_facts.py), run on a copy of the demo's working
database, against dbt's marts in that same database."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.handwritten import build_main_marts
from bench.pandas_facts import ward_month_and_kpi

WARD_MONTH_KEYS = ["ward_code", "month_start", "partner", "feed", "category_group"]
DISTRICT_MONTH_KEYS = ["district_code", "month_start", "partner", "feed", "category_group"]
KPI_KEYS = ["kpi_id", "level", "area_code", "period_type", "period_label"]
KPI_COLUMNS = [*KPI_KEYS, "months_with_data", "measure_total", "denominator", "rate"]
# Sums of doubles taken in another order (district populations) differ in the last bits, nothing more.
RELATIVE_TOLERANCE = 1e-12


@pytest.fixture(scope="module")
def database(demo, tmp_path_factory) -> Path:
    """A copy of the demo's working database (other tests read the original) with the hand-written marts in it."""
    home, _ = demo
    copy = tmp_path_factory.mktemp("bench") / "hub.duckdb"
    shutil.copyfile(home / "hub.duckdb", copy)
    build_main_marts(copy)
    return copy


@pytest.fixture(scope="module")
def pandas_results(database) -> tuple[pd.DataFrame, pd.DataFrame]:
    return ward_month_and_kpi(database)


def _table(database: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(sql).df()


def _dbt_crime_rate(database: Path) -> pd.DataFrame:
    return _table(database, f"select {', '.join(KPI_COLUMNS)} from marts.kpi_results "
                            "where kpi_id = 'crime_rate' and level = 'district' and period_type = 'financial_year'")


def assert_same_rows(actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """Row for row and column for column, in any order; doubles to RELATIVE_TOLERANCE."""
    assert len(expected) > 0
    assert list(actual.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(
        actual.sort_values(keys).reset_index(drop=True), expected.sort_values(keys).reset_index(drop=True),
        check_dtype=False, check_exact=False, rtol=RELATIVE_TOLERANCE, atol=0)


def test_handwritten_ward_month_is_dbts(database):
    assert_same_rows(_table(database, "select * from handwritten.fct_ward_month"),
                     _table(database, "select * from marts.fct_ward_month"), WARD_MONTH_KEYS)


def test_handwritten_district_month_is_dbts(database):
    assert_same_rows(_table(database, "select * from handwritten.fct_district_month"),
                     _table(database, "select * from marts.fct_district_month"), DISTRICT_MONTH_KEYS)


def test_handwritten_crime_rate_is_kpi_results(database):
    assert_same_rows(_table(database, "select * from handwritten.kpi_crime_rate"), _dbt_crime_rate(database), KPI_KEYS)


def test_pandas_ward_month_is_dbts(database, pandas_results):
    ward_month, _ = pandas_results
    assert_same_rows(ward_month, _table(database, "select * from marts.fct_ward_month"), WARD_MONTH_KEYS)


def test_pandas_crime_rate_is_kpi_results(database, pandas_results):
    _, kpi = pandas_results
    assert_same_rows(kpi, _dbt_crime_rate(database), KPI_KEYS)
