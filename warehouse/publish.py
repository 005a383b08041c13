"""Publish the working database for readers: a whole-file snapshot swapped in atomically, plus Parquet marts.

Readers (BI tools, analysts, reports) only ever open the published copy. The snapshot is written beside the
published file and moved over it with one rename, so a reader that already has the old file open keeps reading
it undisturbed, and the next one to open it sees the new data in full: never a mix. With open data, the tables of
the open_data schema (suppressed for the public, see models/marts/open) are written as CSV and Parquet, with a
README of their columns, to a folder of their own: only what is in that schema can reach the public website.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warehouse.database import connect
from warehouse.paths import HubPaths
from warehouse.transform import generate_catalogue

MART_SCHEMA = "marts"
OPEN_DATA_SCHEMA = "open_data"


@dataclass(frozen=True)
class PublishResult:
    database: Path
    parquet_dir: Path
    catalogue: Path
    marts: tuple[str, ...]
    open_data_dir: Path | None = None
    open_tables: tuple[str, ...] = ()


def publish(paths: HubPaths, open_data: bool = False) -> PublishResult:
    paths.ensure()
    catalogue = generate_catalogue(paths)
    _checkpoint(paths.working_db)
    with tempfile.TemporaryDirectory(dir=paths.published_dir, prefix=".publishing-") as staging:
        staging_dir = Path(staging)
        # The snapshot keeps the published file's name so its catalog (and every view that names it) is "hub".
        snapshot = staging_dir / paths.published_db.name
        shutil.copyfile(paths.working_db, snapshot)
        marts = _export(snapshot, MART_SCHEMA, staging_dir / "parquet", ("parquet",))
        open_tables = _export(snapshot, OPEN_DATA_SCHEMA, staging_dir / "open", ("csv", "parquet")) if open_data else ()
        shutil.copyfile(catalogue, staging_dir / paths.published_catalogue.name)
        os.replace(snapshot, paths.published_db)
        os.replace(staging_dir / paths.published_catalogue.name, paths.published_catalogue)
        _swap_directory(staging_dir / "parquet", paths.parquet_dir)
        if open_data:
            _swap_directory(staging_dir / "open", paths.open_data_dir)
    return PublishResult(paths.published_db, paths.parquet_dir, paths.published_catalogue, marts,
                         paths.open_data_dir if open_data else None, open_tables)


def _checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so a byte copy of the file is the whole database."""
    con = connect(database)
    try:
        con.execute("checkpoint")
    finally:
        con.close()


def _export(database: Path, schema: str, target: Path, formats: tuple[str, ...]) -> tuple[str, ...]:
    """Every table and view of the schema as a file per format; with CSV (the public's format) a README of the
    columns too."""
    target.mkdir()
    con = connect(database, read_only=True)
    try:
        tables = tuple(name for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? order by table_name", [schema]).fetchall())
        for table in tables:
            for file_format in formats:
                options = "format csv, header" if file_format == "csv" else "format parquet"
                con.execute(f'copy (select * from {schema}."{table}") to \'{target / table}.{file_format}\' ({options})')
        if "csv" in formats:
            (target / "README.md").write_text(_describe(con, schema, tables), encoding="utf-8")
    finally:
        con.close()
    return tables


def _describe(con, schema: str, tables: tuple[str, ...]) -> str:
    """The tables and columns as the dbt descriptions (persisted as comments) explain them."""
    lines = ["# Open data", ""]
    for table in tables:
        (comment,) = con.execute("select comment from duckdb_tables() where schema_name = ? and table_name = ?",
                                 [schema, table]).fetchone()
        lines += [f"## {table} (`{table}.csv`, `{table}.parquet`)", "", (comment or "").strip(), "",
                  "| column | type | meaning |", "|---|---|---|"]
        for name, data_type, meaning in con.execute(
                "select column_name, data_type, comment from duckdb_columns() "
                "where schema_name = ? and table_name = ? order by column_index", [schema, table]).fetchall():
            lines.append(f"| {name} | {data_type} | {(meaning or '').strip()} |")
        lines.append("")
    return "\n".join(lines)


def _swap_directory(new: Path, current: Path) -> None:
    """Replace a directory by another with two renames; the old one is removed only once the new is in place."""
    retired = current.with_name(f".{current.name}-retired")
    shutil.rmtree(retired, ignore_errors=True)
    if current.exists():
        os.replace(current, retired)
    os.replace(new, current)
    shutil.rmtree(retired, ignore_errors=True)
