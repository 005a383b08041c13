"""Run dbt in a subprocess: in-process dbt keeps the DuckDB file locked after it returns (STACK.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from loaders.ingest import prepare_raw_tables
from warehouse.paths import PROJECT_DIR, HubPaths

DBT = Path(sys.executable).with_name("dbt")
OUTPUT_LINES_ON_FAILURE = 40


class TransformError(Exception):
    pass


def run_dbt(paths: HubPaths, *args: str, as_at: date | None = None) -> str:
    paths.ensure()
    env = {
        **os.environ,
        "HUB_DB_PATH": str(paths.working_db),
        "HUB_TEMP_DIR": str(paths.temp),
        "DBT_TARGET_PATH": str(paths.dbt_dir / "target"),
        "DBT_LOG_PATH": str(paths.dbt_dir / "logs"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **({"HUB_AS_AT": as_at.isoformat()} if as_at else {}),
    }
    command = [str(DBT), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_DIR)
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-OUTPUT_LINES_ON_FAILURE:])
        raise TransformError(f"`dbt {' '.join(args)}` failed; full log in {paths.dbt_dir / 'logs'}:\n{tail}")
    return completed.stdout


def build(paths: HubPaths, as_at: date | None = None) -> None:
    """Seeds, models and every data test. Every feed's raw table exists before dbt reads it, delivered yet or not
    (an empty feed is an empty table). Unit tests prove the SQL, not the data, so they run in the test suite
    (`run_unit_tests`), not on every build, as dbt advises."""
    prepare_raw_tables(paths.working_db)
    run_dbt(paths, "build", "--exclude-resource-type", "unit_test", as_at=as_at)


def run_unit_tests(paths: HubPaths) -> str:
    """Every dbt unit test (hand-worked cases of each model's arithmetic), on a hub that has been built."""
    return run_dbt(paths, "test", "--select", "test_type:unit")


def refresh_scorecard(paths: HubPaths, as_at: date | None = None) -> None:
    """The scorecard reports the latest quality run, which happens after the build: rebuild it (and test it)."""
    run_dbt(paths, "build", "--select", "dq_partner_scorecard", as_at=as_at)


def generate_catalogue(paths: HubPaths) -> Path:
    """dbt's docs as one self-contained HTML file (works offline): descriptions, columns and lineage."""
    run_dbt(paths, "docs", "generate", "--static")
    return paths.dbt_dir / "target" / "static_index.html"
