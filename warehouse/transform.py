"""Run dbt in a subprocess: in-process dbt keeps the DuckDB file locked after it returns (README: Development)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from loaders.database import MEMORY_LIMIT, THREADS, connect
from loaders.ingest import prepare_raw_tables
from loaders.reference_defaults import load_reference_defaults
from loaders.spatial import spatial_extension_path
from warehouse import gate
from warehouse.area import current_area
from warehouse.audit_records import prepare_audit_records
from warehouse.catalogue import catalogue_page
from warehouse.paths import PROJECT_DIR, HubPaths

DBT = Path(sys.executable).with_name("dbt")
OUTPUT_LINES_ON_FAILURE = 40
# What the models are made of: when any of it changes, every incremental table is rebuilt whole.
PROJECT_INPUTS = ("dbt_project.yml", "models", "macros", "seeds")


class TransformError(Exception):
    pass


class TransformEnvironmentError(TransformError):
    """dbt stopped for want of disk, write access or the database file, not because of the data."""


# What dbt (through DuckDB) says when the machine, not the data, stopped it.
ENVIRONMENT_FAILURES = ("No space left on device", "Read-only file system", "Permission denied",
                        "Could not set lock on file")


def run_dbt(paths: HubPaths, *args: str, as_at: date | None = None) -> str:
    paths.ensure()
    env = {
        **os.environ,
        # Relative to the hub's folder (dbt runs there): the profile then reads the same for every hub, so a hub
        # copied or moved whole keeps dbt's saved parse instead of parsing the project again (~9 s).
        "HUB_DB_PATH": str(paths.working_db.relative_to(paths.home)),
        "HUB_TEMP_DIR": str(paths.temp.relative_to(paths.home)),
        # dbt's DuckDB gets the limits every connection of the hub gets, from the one place they are read
        "HUB_MEMORY_LIMIT": MEMORY_LIMIT,
        "HUB_THREADS": str(THREADS),
        "DBT_TARGET_PATH": str(paths.dbt_dir / "target"),
        "DBT_LOG_PATH": str(paths.dbt_dir / "logs"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # Each node's start, result and error, not every statement it ran: the statements cost a build ~10% more
        # CPU. An operator tracing one exports DBT_LOG_LEVEL_FILE=debug.
        "DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "info"),
    }
    command = [str(DBT), *args, *dbt_project_args(paths, as_at)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, cwd=paths.home)
    if completed.returncode != 0:
        output = completed.stdout + completed.stderr
        cause = next((failure for failure in ENVIRONMENT_FAILURES if failure in output), None)
        if cause:
            raise TransformEnvironmentError(f"`dbt {args[0]}` stopped: {cause} (full log in {paths.dbt_dir / 'logs'})")
        tail = "\n".join(output.strip().splitlines()[-OUTPUT_LINES_ON_FAILURE:])
        raise TransformError(f"`dbt {' '.join(args)}` failed; full log in {paths.dbt_dir / 'logs'}:\n{tail}")
    return completed.stdout


def dbt_project_args(paths: HubPaths, as_at: date | None = None) -> list[str]:
    """The project, its profile and the hub's vars (its area, where the spatial extension is, the as-at date), for
    any dbt command on this hub, whichever engine runs it."""
    settings = {**current_area(paths).dbt_vars(), "spatial_extension": str(spatial_extension_path()),
                "project_dir": str(PROJECT_DIR),
                **({"as_at": as_at.isoformat()} if as_at else {})}
    return ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), "--vars", json.dumps(settings)]


def prepare_inputs(paths: HubPaths) -> None:
    """Everything dbt reads that is not its own: each feed's raw table, the audit tables, and the reference data of
    reference/manifest.toml (loaded when the hub does not hold it yet)."""
    prepare_raw_tables(paths.working_db)
    prepare_audit_records(paths.working_db)
    load_reference_defaults(paths.working_db, paths.home)


@dataclass(frozen=True)
class BuildPlan:
    """Whether a build recomputes everything or only the months of later loads (int_changed_months), and why."""

    full_refresh: bool
    reason: str
    last_load_id: int
    project_digest: str


def build(paths: HubPaths, as_at: date | None = None, full_refresh: bool = False) -> BuildPlan:
    """Seeds, models and every data test. Every feed's raw table exists before dbt reads it, delivered yet or not
    (an empty feed is an empty table); the reference data of reference/manifest.toml is loaded when the hub does not
    hold it yet. The incremental facts recompute only the months touched by loads since the
    last build (macros/incremental.sql), unless a full rebuild is asked for or needed (plan_build). Unit tests prove
    the SQL, not the data, so they run in the test suite (`run_unit_tests`), not on every build, as dbt advises."""
    build_id = gate.build_started(paths)
    try:
        prepare_inputs(paths)
        plan = plan_build(paths, full_refresh)
        run_dbt(paths, "build", "--exclude-resource-type", "unit_test",
                *(["--full-refresh"] if plan.full_refresh else []), as_at=as_at)
        _record_build(paths, plan)
    except Exception:
        gate.build_finished(paths, build_id, succeeded=False)
        raise
    gate.build_finished(paths, build_id, succeeded=True)
    return plan


def plan_build(paths: HubPaths, full_refresh: bool = False) -> BuildPlan:
    """Full when asked, on the first build, when the dbt project changed (a model, macro, seed or variable: any of
    them can change every month's figures) or when reference data arrived (a postcode directory places every point,
    a lookup or a population estimate touches every ward); else
    incremental over the loads since the last build. The chosen area is part of the project (`hub area`): a hub
    built for another area is rebuilt whole."""
    digest = project_digest(paths)
    con = connect(paths.working_db, read_only=True)
    try:
        # the same last build int_changed_months measures from: the one that took in the latest load
        last = con.execute("select last_load_id, project_digest from audit.builds "
                           "order by last_load_id desc, finished_at desc limit 1").fetchone()
        (latest_load,) = con.execute("select coalesce(max(load_id), 0) from audit.loads").fetchone()
        since = last[0] if last else 0
        (new_directories,) = con.execute(
            "select count(*) from audit.loads where partner = 'reference' and (load_id > ? or superseded_by > ?)",
            [since, since]).fetchone()
    finally:
        con.close()
    reasons = [reason for reason, applies in (
        ("asked for", full_refresh),
        ("first build", last is None),
        ("the dbt project or the area changed", last is not None and last[1] != digest),
        ("new reference data", last is not None and new_directories > 0),
    ) if applies]
    if reasons:
        return BuildPlan(True, reasons[0], latest_load, digest)
    if latest_load == since:
        return BuildPlan(False, f"no month, nothing loaded since load {since}", latest_load, digest)
    return BuildPlan(False, f"the months of loads after load {since}", latest_load, digest)


def project_digest(paths: HubPaths) -> str:
    """SHA-256 over the path and bytes of every file the models are made of, and the hub's area."""
    digest = hashlib.sha256(json.dumps(current_area(paths).dbt_vars(), sort_keys=True).encode())
    for name in PROJECT_INPUTS:
        root = PROJECT_DIR / name
        for path in sorted([root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())):
            digest.update(str(path.relative_to(PROJECT_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _record_build(paths: HubPaths, plan: BuildPlan) -> None:
    con = connect(paths.working_db)
    try:
        con.execute("insert into audit.builds values (?, ?, ?, ?)",
                    [datetime.now(), plan.last_load_id, plan.project_digest, plan.full_refresh])
    finally:
        con.close()


def run_unit_tests(paths: HubPaths) -> str:
    """Every dbt unit test (hand-worked cases of each model's arithmetic), on a hub that has been built."""
    return run_dbt(paths, "test", "--select", "test_type:unit")


def generate_catalogue(paths: HubPaths, as_at: date | None = None) -> Path:
    """dbt's docs as one self-contained HTML file (works offline): descriptions, columns and lineage, assembled by
    warehouse.catalogue rather than `--static`, so no text in them can become script. The manifest is the one the
    hub's last build wrote, holding the SQL each model was built with: dbt compiling every node again would take
    half the command's time and give the same SQL. Only when the manifest lacks a model's SQL (a `dbt parse` run
    by hand since, say) does dbt compile them again."""
    target = paths.dbt_dir / "target"
    compiled = _every_model_compiled(target / "manifest.json")
    run_dbt(paths, "docs", "generate", *(["--no-compile"] if compiled else []), as_at=as_at)
    page = target / "static_index.html"
    page.write_text(catalogue_page((target / "manifest.json").read_text(encoding="utf-8"),
                                   (target / "catalog.json").read_text(encoding="utf-8")), encoding="utf-8")
    return page


def _every_model_compiled(manifest: Path) -> bool:
    if not manifest.exists():
        return False
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return all(node.get("compiled_code") for node in nodes if node["resource_type"] == "model")
