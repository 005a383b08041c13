"""The publishing gate: data leaves the hub only from a completed build that a quality run judged with no critical
failure. Every build records its start and its outcome, every quality run the build it judged; `hub publish` (and
so `hub run`) reads this record and refuses anything else, whichever commands ran before it."""

from __future__ import annotations

import uuid
from datetime import datetime

import duckdb

from loaders.database import connect
from warehouse.paths import HubPaths

GATE_DDL = """
create schema if not exists audit;
-- One row per hub build, written when it starts: finished_at and succeeded stay null if it is killed.
create table if not exists audit.build_runs (
    build_id     varchar primary key,
    started_at   timestamp not null,
    finished_at  timestamp,
    succeeded    boolean
);
-- One row per hub check: the build it judged and how many critical expectations failed.
create table if not exists audit.quality_runs (
    run_id             varchar primary key,
    build_id           varchar,
    finished_at        timestamp not null,
    critical_failures  integer not null
);
"""


class PublishRefused(Exception):
    """The working database holds no completed, checked and passed build: nothing was published."""


def build_started(paths: HubPaths) -> str:
    build_id = datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    con = connect(paths.working_db)
    try:
        con.execute(GATE_DDL)
        con.execute("insert into audit.build_runs values (?, ?, null, null)", [build_id, datetime.now()])
    finally:
        con.close()
    return build_id


def build_finished(paths: HubPaths, build_id: str, succeeded: bool) -> None:
    con = connect(paths.working_db)
    try:
        con.execute("update audit.build_runs set finished_at = ?, succeeded = ? where build_id = ?",
                    [datetime.now(), succeeded, build_id])
    finally:
        con.close()


def record_quality_run(con: duckdb.DuckDBPyConnection, run_id: str, critical_failures: int) -> None:
    """On the connection that records the run's results, so both are written or neither: the run judged the
    latest build (the writer lock keeps any build from starting during a check)."""
    con.execute(GATE_DDL)
    latest = _latest_build(con)
    con.execute("insert into audit.quality_runs values (?, ?, ?, ?)",
                [run_id, latest[0] if latest else None, datetime.now(), critical_failures])


def publishable_build(paths: HubPaths) -> str:
    """The build that may be published: the latest, completed, and judged by a quality run with no critical
    failure. Anything else raises PublishRefused saying why."""
    if not paths.working_db.exists():
        raise PublishRefused("nothing has been loaded or built yet")
    con = connect(paths.working_db, read_only=True)
    try:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'audit'").fetchall()}
        build = _latest_build(con) if "build_runs" in tables else None
        if build is None:
            raise PublishRefused("nothing has been built yet: run `hub build`, then `hub check`")
        build_id, started_at, succeeded = build
        if not succeeded:
            what = "failed (a model or a dbt test failed)" if succeeded is False else "did not finish"
            raise PublishRefused(f"the latest build (started {started_at:%Y-%m-%d %H:%M:%S}) {what}, so the working "
                                 "database may be half built: fix the cause, then `hub build` and `hub check`")
        run = con.execute("select run_id, critical_failures from audit.quality_runs where build_id = ? "
                          "order by finished_at desc limit 1", [build_id]).fetchone() if "quality_runs" in tables else None
    finally:
        con.close()
    if run is None:
        raise PublishRefused("the latest build has not been checked: run `hub check`")
    if run[1]:
        raise PublishRefused(f"the quality run {run[0]} of the latest build found {run[1]} critical failure(s); "
                             "the Data Docs say which")
    return build_id


def _latest_build(con: duckdb.DuckDBPyConnection) -> tuple | None:
    return con.execute("select build_id, started_at, succeeded from audit.build_runs "
                       "order by started_at desc limit 1").fetchone()
