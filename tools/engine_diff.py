"""`python -m tools.engine_diff HUB.duckdb SPARK_DIR`: the core lineage as Spark built it (warehouse/spark.py) against
DuckDB's build of the same data, table by table and row for row.

Rows are matched on each table's key (its unique_combination test, or its unique column, in the project's YAML); a
row only one engine has, or a matched row with any value that differs, is a difference. Doubles agree when they are
within a relative 1e-9 of each other (the engines sum in different orders); every other value must be equal, null
only where the other is null. The column names and types must be the same too. Spark's tables are read from its
parquet files. Exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from loaders.database import sql_literal
from loaders.spark import table_location
from warehouse.paths import PROJECT_DIR
from warehouse.spark import tables_dir

# The tables compared: the marts of the core lineage, and the placed incidents and points every fact is counted from.
CORE_TABLES = ("intermediate.int_points_placed", "intermediate.int_incidents_placed", "marts.dim_district",
               "marts.dim_ward", "marts.dim_month", "marts.fct_ward_month", "marts.fct_district_month",
               "marts.kpi_results", "marts.vli_ward")
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class TableDifference:
    table: str
    columns: str = ""  # how the columns differ, when they do
    only_duckdb: int = 0
    only_spark: int = 0
    values_differ: int = 0
    example: tuple = ()

    def __str__(self) -> str:
        if self.columns:
            return f"{self.table}: columns differ: {self.columns}"
        return (f"{self.table}: {self.only_duckdb} rows only in DuckDB, {self.only_spark} only in Spark, "
                f"{self.values_differ} with a value that differs" + (f", e.g. {self.example}" if self.example else ""))


def spark_table(spark_dir: Path, table: str) -> str:
    """The parquet files of a Spark table, as a relation DuckDB reads."""
    return f"read_parquet({sql_literal(str(table_location(tables_dir(spark_dir), table) / '*.parquet'))})"


def table_key(table: str) -> list[str]:
    """The columns that identify a row of a model, from its tests in the project's YAML."""
    name = table.split(".")[1]
    for path in sorted((PROJECT_DIR / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if model["name"] != name:
                continue
            for test in model.get("data_tests", []):
                if isinstance(test, dict) and "unique_combination" in test:
                    return list(test["unique_combination"]["arguments"]["columns"])
            for column in model.get("columns", []):
                if any(test == "unique" or (isinstance(test, dict) and "unique" in test)
                       for test in column.get("data_tests", [])):
                    return [column["name"]]
    raise LookupError(f"{table} has no unique_combination or unique test to match its rows by")


def compare_table(con: duckdb.DuckDBPyConnection, table: str, duckdb_relation: str, spark_relation: str,
                  key: list[str]) -> TableDifference | None:
    """None when both relations hold the same rows; else what differs."""
    ours, theirs = (con.execute(f"describe select * from {relation}").fetchall()
                    for relation in (duckdb_relation, spark_relation))
    ours, theirs = ([(name, kind) for name, kind, *_ in described] for described in (ours, theirs))
    if sorted(ours) != sorted(theirs):
        return TableDifference(table, columns=f"DuckDB {sorted(set(ours) - set(theirs))}, "
                                              f"Spark {sorted(set(theirs) - set(ours))}")
    matched = " and ".join(f'd."{column}" is not distinct from s."{column}"' for column in key)
    differs = " or ".join(
        f'not (d."{name}" is null and s."{name}" is null or abs(d."{name}" - s."{name}") '
        f'<= {RELATIVE_TOLERANCE} * greatest(abs(d."{name}"), abs(s."{name}")))'
        if kind == "DOUBLE" else f'd."{name}" is distinct from s."{name}"'
        for name, kind in ours if name not in key)
    only_duckdb, only_spark, values_differ = con.execute(f"""
        select count(*) filter (where s.present is null), count(*) filter (where d.present is null),
            count(*) filter (where d.present and s.present and ({differs or 'false'}))
        from (select *, true as present from {duckdb_relation}) as d
        full join (select *, true as present from {spark_relation}) as s on {matched}
    """).fetchone()
    if not (only_duckdb or only_spark or values_differ):
        return None
    example = con.execute(f"""
        select d.*, s.* from {duckdb_relation} as d full join {spark_relation} as s on {matched}
        where d."{key[0]}" is null or s."{key[0]}" is null or ({differs or 'false'}) limit 1
    """).fetchone()
    return TableDifference(table, only_duckdb=only_duckdb, only_spark=only_spark, values_differ=values_differ,
                           example=example or ())


def differences(database: Path, spark_dir: Path, tables: tuple[str, ...] = CORE_TABLES) -> list[TableDifference]:
    con = duckdb.connect()
    try:
        con.execute(f"attach '{database}' as hub (read_only)")
        found = [compare_table(con, table, f"hub.{table}", spark_table(spark_dir, table), table_key(table))
                 for table in tables]
        return [difference for difference in found if difference]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="the hub's DuckDB database, built")
    parser.add_argument("spark_dir", type=Path, help="the Spark folder `python -m warehouse.spark` built in")
    args = parser.parse_args(argv)
    found = differences(args.database, args.spark_dir)
    for difference in found:
        print(f"DIFFERS {difference}")
    print(f"{len(CORE_TABLES) - len(found)} of {len(CORE_TABLES)} tables hold the same rows on both engines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
