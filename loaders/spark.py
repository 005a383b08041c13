"""The raw and audit tables on Spark (README: On Spark): what the loaders accepted into the hub's database, written
table by table as parquet files and registered in a Spark session's catalogue under the same schema and table names,
for the dbt project to build on Spark as it builds on DuckDB.

Each file is still checked and loaded by the same contracts, into DuckDB (the engine the loaders check a file with);
only what they accepted, and the audit of every load (rows read, loaded, rejected, and why), reaches Spark. DuckDB
writes the parquet files and Spark reads them where they lie (a table over a location), so no row passes through the
Python process or the JVM's driver: on a cluster the location is storage both reach (S3, ABFS, HDFS). A TIME column is
written as its 'HH:MM:SS' text: Spark has no TIME type, and no model that Spark builds reads one as a time. A
TIMESTAMP stays without time zone (Spark's TIMESTAMP_NTZ), as the hub stores it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from loaders.database import connect, sql_literal

SCHEMAS = ("raw", "audit")


def table_location(tables_dir: Path, table: str) -> Path:
    """Where the parquet files of `schema.table` are kept: Spark's own layout under its warehouse folder."""
    schema, name = table.split(".")
    return tables_dir / f"{schema}.db" / name


def write_to_spark(database: Path, spark, tables_dir: Path) -> dict[str, int]:
    """Every table of the raw and audit schemas of `database` into the session `spark` (a pyspark SparkSession, local
    or a Spark Connect client), its files under `tables_dir`, replacing what it held; {schema.table: rows written}."""
    written: dict[str, int] = {}
    with connect(database, read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where list_contains(?, schema_name) order by all", [list(SCHEMAS)]).fetchall()
        for schema in SCHEMAS:
            spark.sql(f"create database if not exists {schema}")
        for schema, table in tables:
            location = table_location(tables_dir, f"{schema}.{table}")
            spark.sql(f"drop table if exists {schema}.{table}")
            shutil.rmtree(location, ignore_errors=True)
            location.mkdir(parents=True)
            (rows,) = con.execute(
                f'copy (select {_columns_for_spark(con, schema, table)} from {schema}."{table}") '
                f"to {sql_literal(str(location / 'part-0.parquet'))} (format parquet)").fetchone()
            spark.catalog.createTable(f"{schema}.{table}", path=str(location), source="parquet")
            written[f"{schema}.{table}"] = rows
    return written


def _columns_for_spark(con, schema: str, table: str) -> str:
    columns = con.execute("select column_name, data_type from duckdb_columns() where schema_name = ? "
                          "and table_name = ? order by column_index", [schema, table]).fetchall()
    return ", ".join(f'cast("{name}" as varchar) as "{name}"' if kind == "TIME" else f'"{name}"'
                     for name, kind in columns)
