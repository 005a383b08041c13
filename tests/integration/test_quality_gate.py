"""A critical data-quality failure stops `hub run` before it publishes, and readers keep the last good data."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import make_hub
from warehouse.paths import PROJECT_DIR


def write_future_month_copy(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(rows[0])
        writer.writerows([row[:1] + ["2099-01"] + row[2:] for row in rows[1:]])


def hub_cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HUB_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "warehouse.cli", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_future_month_fails_the_gate_exits_1_and_leaves_the_published_file_untouched(tmp_path, real_dir):
    hub = make_hub(tmp_path / "hub")
    gmp = real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv"
    hub.ingest("police", gmp)
    hub.build()
    assert hub.check().passed
    hub.publish()
    published_before = hub.paths.published_db.read_bytes()

    write_future_month_copy(gmp, hub.paths.incoming / "police" / "2099-01-greater-manchester-street.csv")
    result = hub_cli(hub.paths.home, "run")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Not published" in result.stdout
    assert "critical" in result.stdout
    assert hub.paths.published_db.read_bytes() == published_before
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        failed = con.execute("""
            select suite, expectation_type, unexpected_count from audit.dq_results
            where severity = 'critical' and not success
        """).fetchall()
    finally:
        con.close()
    assert failed and all(count == 2499 for _, _, count in failed if count is not None), failed
