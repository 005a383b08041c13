"""The raw and audit tables on Spark (README: On Spark): what the loaders accepted into the hub's database, written
table by table to a Spark session's catalogue, under the same schema and table names, for the dbt project to build
on Spark as it builds on DuckDB.

Each file is still checked and loaded by the same contracts, into DuckDB (the engine the loaders check a file with);
only what they accepted, and the audit of every load (rows read, loaded, rejected, and why), reaches Spark. A TIME
column is written as its 'HH:MM:SS' text: Spark cannot store a TIME in a parquet table, and no model that Spark builds
reads one as a time.
"""

from __future__ import annotations

from pathlib import Path

from loaders.database import connect

SCHEMAS = ("raw", "audit")


def write_to_spark(database: Path, spark) -> dict[str, int]:
    """Every table of the raw and audit schemas of `database` into the session `spark` (a pyspark SparkSession, local
    or a Spark Connect client), replacing what it held; {schema.table: rows written}."""
    written: dict[str, int] = {}
    with connect(database, read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where list_contains(?, schema_name) order by all", [list(SCHEMAS)]).fetchall()
        for schema in SCHEMAS:
            spark.sql(f"create database if not exists {schema}")
        for schema, table in tables:
            rows = con.execute(f'select {_columns_for_spark(con, schema, table)} from {schema}."{table}"').to_arrow_table()
            spark.createDataFrame(rows).write.mode("overwrite").format("parquet").saveAsTable(f"{schema}.{table}")
            written[f"{schema}.{table}"] = rows.num_rows
    return written


def _columns_for_spark(con, schema: str, table: str) -> str:
    columns = con.execute("select column_name, data_type from duckdb_columns() where schema_name = ? "
                          "and table_name = ? order by column_index", [schema, table]).fetchall()
    return ", ".join(f'cast("{name}" as varchar) as "{name}"' if kind == "TIME" else f'"{name}"'
                     for name, kind in columns)
