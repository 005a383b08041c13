"""`python -m tools.published_diff BEFORE.duckdb AFTER.duckdb`: every published figure of two hubs compared row for
row, `except all` both ways, table by table (the marts and the open data). The check that a refactoring changed no
published figure: build the demo before and after (the same pseudonym key copied into both homes) and compare.

Doubles are compared to 9 significant digits: DuckDB sums them in parallel, so two builds of the same data and code
may differ in the last bits (seen: 114010.69298224823 against 114010.69298224825). Columns that name a run rather
than a figure (`--ignore`, default the scorecard's quality run id) are left out. Exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

FIGURE_SCHEMAS = ("marts", "open_data")
RUN_COLUMNS = ("latest_quality_run",)


def differences(before: Path, after: Path, ignore: tuple[str, ...] = RUN_COLUMNS) -> dict[str, str]:
    """What differs, by table; empty when every table holds the same rows in both."""
    con = duckdb.connect()
    try:
        for name, path in (("before", before), ("after", after)):
            con.execute(f"attach '{path}' as {name} (read_only)")
        old, new = (_tables(con, catalog, ignore) for catalog in ("before", "after"))
        found = {table: "only before" for table in old.keys() - new.keys()}
        found |= {table: "only after" for table in new.keys() - old.keys()}
        for table in sorted(old.keys() & new.keys()):
            if old[table] != new[table]:
                found[table] = f"columns differ: {old[table]} / {new[table]}"
                continue
            gone, came = (_rows_missing(con, table, old[table], a, b) for a, b in (("before", "after"), ("after", "before")))
            print(f"{table}: {gone} rows only before, {came} only after")
            if gone or came:
                found[table] = f"{gone} rows only before, {came} only after"
        return found
    finally:
        con.close()


def _tables(con, catalog: str, ignore: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        f"where table_catalog = ? and table_schema in {FIGURE_SCHEMAS} order by all", [catalog]).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, kind in rows:
        if column not in ignore:
            tables.setdefault(f"{schema}.{table}", []).append((column, kind))
    return tables


def _rows_missing(con, table: str, columns: list[tuple[str, str]], ours: str, theirs: str) -> int:
    select = ", ".join(f'printf(\'%.8e\', "{c}")' if kind == "DOUBLE" else f'"{c}"' for c, kind in columns)
    (count,) = con.execute(f"select count(*) from (select {select} from {ours}.{table} "
                           f"except all select {select} from {theirs}.{table})").fetchone()
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", nargs="*", default=list(RUN_COLUMNS), help="columns that name a run, not a figure")
    args = parser.parse_args(argv)
    found = differences(args.before, args.after, tuple(args.ignore))
    for table, what in sorted(found.items()):
        print(f"DIFFERS {table}: {what}")
    print(f"{'no published figure differs' if not found else f'{len(found)} tables differ'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
