"""The same dbt project on Spark (README: On Spark): the demo hub's raw and audit tables written to a local Spark
session and its core lineage built there by dbt-spark (`python -m warehouse.spark`, run from the Spark environment),
then every core table compared row for row with DuckDB's build of the same data (tools/engine_diff). One Spark build
for the module, of the models alone: the JVM's start, the write and the build take ~3 minutes on two cores, the data
tests would add ~1.5 more, and a core table that holds the same rows as DuckDB's passes the tests DuckDB's passed
(`make bench-spark` runs them on Spark too)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tools.engine_diff import CORE_TABLES, compare_table, differences, spark_table, table_key
from warehouse.paths import PROJECT_DIR

SPARK_PYTHON = PROJECT_DIR / ".venv-spark" / "bin" / "python"


@pytest.fixture(scope="module")
def spark_build(demo, tmp_path_factory) -> tuple[Path, Path, str]:
    """(the demo's hub database, the Spark folder built from it, what the build printed)."""
    home, _ = demo
    spark_dir = tmp_path_factory.mktemp("spark")
    assert SPARK_PYTHON.exists(), "the Spark environment is made by `make spark-install` (make test does it)"
    result = subprocess.run([str(SPARK_PYTHON), "-m", "warehouse.spark", "--spark-dir", str(spark_dir),
                             "--without-data-tests"],
                            env={**os.environ, "HUB_HOME": str(home)}, cwd=PROJECT_DIR, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "CodeCache is full" not in result.stdout + result.stderr, "the JVM fell back to its interpreter"
    return home / "hub.duckdb", spark_dir, result.stdout


def test_every_core_table_holds_the_same_rows_on_spark(spark_build):
    database, spark_dir, printed = spark_build
    assert "dbt built the core lineage on Spark" in printed
    assert [str(difference) for difference in differences(database, spark_dir)] == []


def test_every_raw_and_audit_row_reaches_spark(spark_build):
    """What the loaders accepted and their audit, whole: the same rows, a TIME as its text."""
    database, spark_dir, printed = spark_build
    con = duckdb.connect()
    con.execute(f"attach '{database}' as hub (read_only)")
    tables = con.execute("select schema_name, table_name from duckdb_tables() where database_name = 'hub' "
                         "and schema_name in ('raw', 'audit') order by all").fetchall()
    assert len(tables) > 30 and f"{len(tables)} raw and audit tables" in printed
    for schema, table in tables:
        columns = con.execute("select column_name, data_type from duckdb_columns() where database_name = 'hub' "
                              "and schema_name = ? and table_name = ? order by column_index",
                              [schema, table]).fetchall()
        select = ", ".join(f'cast("{name}" as varchar)' if kind == "TIME" else f'"{name}"' for name, kind in columns)
        spark_rows = spark_table(spark_dir, f"{schema}.{table}")
        if not con.execute(f"select count(*) from hub.{schema}.{table}").fetchone()[0]:
            continue  # Spark writes no parquet file for an empty table
        for ours, theirs in ((f"hub.{schema}.{table}", spark_rows), (spark_rows, f"hub.{schema}.{table}")):
            (missing,) = con.execute(f"select count(*) from (select {select} from {ours} "
                                     f"except all select {select} from {theirs})").fetchone()
            assert missing == 0, f"{schema}.{table}: {missing} rows of {ours} are not in {theirs}"


@pytest.fixture(scope="module")
def kpi_results(spark_build, tmp_path_factory) -> tuple[duckdb.DuckDBPyConnection, str, list[str]]:
    """A connection holding Spark's kpi_results as a table to change, its name and its key."""
    _, spark_dir, _ = spark_build
    con = duckdb.connect()
    con.execute(f"create table spark_kpi as select * from {spark_table(spark_dir, 'marts.kpi_results')}")
    return con, "spark_kpi", table_key("marts.kpi_results")


@pytest.mark.parametrize("change, found", [
    ("update changed set value = value * (1 + 1e-7) where rowid = (select min(rowid) from changed where value > 0)",
     {"values_differ": 1}),
    ("update changed set kpi_name = 'changed' where rowid = (select min(rowid) from changed)", {"values_differ": 1}),
    ("update changed set period_label = period_label || '*' where rowid = (select min(rowid) from changed)",
     {"only_duckdb": 1, "only_spark": 1}),
    ("delete from changed where rowid = (select max(rowid) from changed)", {"only_duckdb": 1}),
])
def test_the_comparison_finds_a_single_changed_value_or_row(kpi_results, change, found):
    con, spark_kpi, key = kpi_results
    con.execute(f"create or replace table changed as select * from {spark_kpi}")
    con.execute(change)
    difference = compare_table(con, "kpi_results", spark_kpi, "changed", key)
    assert difference is not None
    assert {name: getattr(difference, name) for name in found} == found
    assert difference.only_duckdb + difference.only_spark + difference.values_differ == sum(found.values())


def test_the_comparison_allows_doubles_summed_in_another_order(kpi_results):
    """A relative 1e-12 apart is the last bits of a sum in another order, not a different figure."""
    con, spark_kpi, key = kpi_results
    con.execute(f"create or replace table changed as select * from {spark_kpi}")
    con.execute("update changed set value = value * (1 + 1e-12)")
    assert compare_table(con, "kpi_results", spark_kpi, "changed", key) is None


def test_every_core_table_is_compared():
    assert {table.split(".")[1] for table in CORE_TABLES} >= {
        "int_incidents_placed", "fct_ward_month", "fct_district_month", "kpi_results", "vli_ward"}
