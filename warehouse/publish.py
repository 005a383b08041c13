"""Publish for readers what they need, all at once, and only from a build that passed the gate.

`hub publish` refuses (warehouse.gate) unless the working database holds a completed build that a quality run
judged with no critical failure. What readers see is one release folder: a database holding the marts (with the
dimensions and fct_incidents, pseudonymised), the open-data and reference tables and audit.loads, as tables, never
the raw, staging or rejected rows; every mart as Parquet; dbt's catalogue; and, with open data, the open_data
schema as CSV and Parquet with a README of the columns (only what is in that schema can reach the public website).
The release is written beside the current one and `published/current` is switched to it with one rename
(warehouse.switch); `published/hub.duckdb`, `catalogue.html`, `parquet` and `open` are fixed links through
`current`, so readers keep their paths and see the old release or the new one, whole.
"""

from __future__ import annotations

import grp
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from loaders.database import connect, sql_literal
from warehouse import gate, switch
from warehouse.paths import HubPaths, folder_mode, published_group, published_mode
from warehouse.transform import generate_catalogue

MART_SCHEMA = "marts"
OPEN_DATA_SCHEMA = "open_data"
# Whole schemas readers get: the marts (dimensions, facts, KPIs, fct_incidents), the open-data tables and the
# reference seeds the catalogue documents. Raw, staging and intermediate stay in the working database.
PUBLISHED_SCHEMAS = (MART_SCHEMA, OPEN_DATA_SCHEMA, "reference")
# Single tables besides: which file each incident came from (fct_incidents.load_id) and the periods it held. Not
# audit.rejects (rejected rows as delivered) nor audit.dq_results (observed values).
PUBLISHED_TABLES = (("audit", "loads"), ("audit", "load_periods"))
# What a release folder holds, each reached by a fixed link of the same name in published/.
READER_PATHS = ("hub.duckdb", "catalogue.html", "parquet", "open")
STAGING_PREFIX = ".staging-"


@dataclass(frozen=True)
class PublishResult:
    database: Path
    parquet_dir: Path
    catalogue: Path
    marts: tuple[str, ...]
    open_data_dir: Path | None = None
    open_tables: tuple[str, ...] = ()


def publish(paths: HubPaths, open_data: bool = False, as_at: date | None = None) -> PublishResult:
    paths.ensure()
    build_id = gate.publishable_build(paths)
    paths.releases.mkdir(exist_ok=True)
    current = switch.current_target(paths.current_release)
    switch.remove_all_but(paths.releases, "*", current)  # what an interrupted publish left
    catalogue = _catalogue(paths, build_id, as_at)
    version = datetime.now().strftime("%Y%m%dT%H%M%S%f")
    staging = paths.releases / f"{STAGING_PREFIX}{version}"
    try:
        staging.mkdir()
        marts, open_tables = _write_release(paths, staging, catalogue, open_data, current)
        release = staging.rename(paths.releases / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switch.point(paths.current_release, release)  # the one switch readers see
    for name in READER_PATHS:
        switch.point(paths.published_dir / name, paths.current_release / name)
    switch.remove_all_but(paths.releases, "*", release)
    return PublishResult(paths.published_db, paths.parquet_dir, paths.published_catalogue, marts,
                         paths.open_data_dir if open_data else None, open_tables)


def _catalogue(paths: HubPaths, build_id: str, as_at: date | None) -> Path:
    """dbt's catalogue of the build being published: generated once per build (a dbt command), so publishing
    the same build again, after an interruption say, does not wait for it. Given the as-at date the build had, so
    dbt reads the project with the same vars and keeps the build's parse rather than parsing it all again."""
    marker = paths.dbt_dir / "catalogue-build"
    catalogue = paths.dbt_dir / "target" / "static_index.html"
    if not (catalogue.exists() and marker.exists() and marker.read_text(encoding="utf-8") == build_id):
        catalogue = generate_catalogue(paths, as_at)
        marker.write_text(build_id, encoding="utf-8")
    return catalogue


def _write_release(paths: HubPaths, release: Path, catalogue: Path, open_data: bool,
                   current: Path | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    database = release / paths.published_db.name
    _write_published_database(paths, database)
    marts = _export(database, MART_SCHEMA, release / "parquet", ("parquet",))
    if open_data:
        open_tables = _export(database, OPEN_DATA_SCHEMA, release / "open", ("csv", "parquet"))
    else:
        open_tables = ()
        if current is not None and (current / "open").is_dir():  # a plain publish keeps the public set as it was
            shutil.copytree(current / "open", release / "open")
    shutil.copyfile(catalogue, release / paths.published_catalogue.name)
    grant_readers(release)
    for folder in (paths.releases, paths.published_dir):
        os.chown(folder, -1, _published_gid())
    return marts, open_tables


def _write_published_database(paths: HubPaths, target: Path) -> None:
    """A new database of the published tables, copied as tables (a view of the working database would name
    schemas the published one does not have), with the comments dbt persisted (the column documentation)."""
    # Written under another name, and the working database attached under its own ("hub"), so that the views being
    # copied, which name their catalog, resolve to the working database.
    building = target.with_name("building.duckdb")
    con = connect(building, temp_directory=paths.temp)
    try:
        # ATTACH takes no parameter in DuckDB's grammar: the path goes in as a quoted literal, never raw text
        con.execute(f"attach {sql_literal(str(paths.working_db))} as hub (read_only)")
        objects = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() where database_name = 'hub' "
            "union all select schema_name, view_name, comment from duckdb_views() "
            "where database_name = 'hub' and not internal order by 1, 2").fetchall()
        published = [(schema, name, comment) for schema, name, comment in objects
                     if schema in PUBLISHED_SCHEMAS or (schema, name) in PUBLISHED_TABLES]
        for schema in sorted({schema for schema, _, _ in published}):
            con.execute(f'create schema "{schema}"')
        for schema, name, comment in published:
            con.execute(f'create table "{schema}"."{name}" as select * from hub."{schema}"."{name}"')
            if comment:
                con.execute(f'comment on table "{schema}"."{name}" is {sql_literal(comment)}')
            for column, column_comment in con.execute(
                    "select column_name, comment from duckdb_columns() where database_name = 'hub' "
                    "and schema_name = ? and table_name = ? and comment is not null", [schema, name]).fetchall():
                con.execute(f'comment on column "{schema}"."{name}"."{column}" is {sql_literal(column_comment)}')
        con.execute("detach hub")
        con.execute("checkpoint")
    finally:
        con.close()
    building.rename(target)


def grant_readers(folder: Path) -> None:
    """Every file under folder gets the published mode and group; folders let the same readers list them."""
    mode, gid = published_mode(), _published_gid()
    for parent, _, files in os.walk(folder):
        for path in [Path(parent), *(Path(parent) / f for f in files)]:
            os.chown(path, -1, gid)
            path.chmod(folder_mode(mode) if path.is_dir() else mode)


def _published_gid() -> int:
    group = published_group()
    return -1 if group is None else (int(group) if group.isdigit() else grp.getgrnam(group).gr_gid)


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
                con.execute(f'copy (select * from {schema}."{table}") to ? ({options})',
                            [str(target / f"{table}.{file_format}")])
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
