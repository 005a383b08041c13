"""A kill at any moment leaves the next plain command working: real `hub ingest` processes killed with SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from loaders.database import connect_for_loading
from loaders.engine import load_file
from loaders.registry import detect_contract
from tests.helpers import hub_cli
from tests.loaders.deliveries import audit_problems, live_files, street_file
from warehouse.paths import PROJECT_DIR

MONTHS = ("2016-09", "2016-10", "2016-11", "2016-12")
KILLED_ROUNDS = 4
DUCKDB_DEFAULT_CHECKPOINT_THRESHOLD = 16 << 20

# Loads one file as `hub ingest` does, then dies by SIGKILL straight after the commit, before the connection closes:
# the WAL holds the load and no checkpoint has folded it into the file (the window in which DuckDB 1.5.6 forgets a
# sequence's last value).
LOAD_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from loaders.database import connect_for_loading
from loaders.engine import load_file
from loaders.registry import detect_contract
con = connect_for_loading(Path(sys.argv[1]))
load_file(con, detect_contract("police", Path(sys.argv[2])), Path(sys.argv[2]))
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("delivered")
    return [street_file(folder, f"{month}-gmp-street.csv", month, 3000) for month in MONTHS]


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=120)


def test_a_kill_just_after_a_load_commits_leaves_later_loads_working(tmp_path, months):
    home = tmp_path / "hub"
    db = home / "hub.duckdb"
    assert hub_cli(home, "ingest", "police", str(months[0])).returncode == 0  # closed cleanly: checkpointed
    died = _python(LOAD_THEN_DIE, str(db), str(months[1]))
    assert died.returncode == -signal.SIGKILL, died.stderr
    again = hub_cli(home, "ingest", "police", str(months[1]))  # an intermediate read-write open: the load is there
    assert again.returncode == 0 and "│ skipped" in again.stdout, again.stdout + again.stderr
    later = hub_cli(home, "ingest", "police", *map(str, months[2:]))
    assert later.returncode == 0 and "│ police/street_crime │ loaded │ 2 " in later.stdout, later.stdout + later.stderr
    assert audit_problems(db) == []
    assert sorted(live_files(db).values()) == sorted(p.name for p in months)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select list(load_id order by load_id) from audit.loads").fetchone() == ([1, 2, 3, 4],)
    finally:
        con.close()


def test_a_run_of_loads_checkpoints_when_it_closes_and_every_committed_row_is_then_in_the_file(tmp_path):
    """DuckDB folds its write-ahead log into the database file whenever the log passes 16 MB (its default); a run of
    loads keeps the log until the connection closes. Three months of 60,000 rows log well over 16 MB."""
    home = tmp_path / "hub"
    months = [street_file(tmp_path / "delivered", f"{month}-gmp-street.csv", month, 60_000) for month in MONTHS]
    assert hub_cli(home, "ingest", "police", str(months[0])).returncode == 0  # the polygons loaded, closed cleanly
    db, wal = home / "hub.duckdb", home / "hub.duckdb.wal"
    con = connect_for_loading(db)
    try:
        for path in months[1:]:
            assert load_file(con, detect_contract("police", path), path).rows_loaded == 60_000
        assert wal.stat().st_size > DUCKDB_DEFAULT_CHECKPOINT_THRESHOLD
    finally:
        con.close()
    assert not wal.exists()
    assert audit_problems(db) == []
    reopened = duckdb.connect(str(db), read_only=True)
    try:
        assert reopened.execute("select count(*) from raw.police_street_crime").fetchone() == (4 * 60_000,)
    finally:
        reopened.close()


def test_hub_ingest_killed_at_random_moments_leaves_the_next_plain_ingest_working(tmp_path, months):
    opened, duration = _timed_ingest(tmp_path / "timed", months)
    seed = int.from_bytes(os.urandom(4), "big")
    chance = random.Random(seed)
    for round_ in range(KILLED_ROUNDS):
        home = tmp_path / f"round-{round_}"
        # A killed run may find some months already held; the kill lands anywhere from opening the database to the
        # end of the last load (most of a run before that is Python starting up).
        held = months[:chance.randrange(len(months))]
        if held:
            assert hub_cli(home, "ingest", "police", *map(str, held)).returncode == 0
        child = _ingest(home, months)
        delay = chance.uniform(opened * 0.8, duration)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        context = f"seed {seed}, round {round_}, {len(held)} months held, killed after {delay:.2f} s of {duration:.2f} s"
        plain = hub_cli(home, "ingest", "police", *map(str, months))
        assert plain.returncode == 0, f"{context}: {plain.stdout}{plain.stderr}"
        db = home / "hub.duckdb"
        assert audit_problems(db) == [], context
        assert sorted(live_files(db).values()) == sorted(p.name for p in months), context


def _ingest(home: Path, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "warehouse.cli", "ingest", "police", *map(str, files)],
                            cwd=PROJECT_DIR, env={**os.environ, "HUB_HOME": str(home)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _timed_ingest(home: Path, files: list[Path]) -> tuple[float, float]:
    """Seconds until the database file appears, and until the whole ingest ends, on this machine now."""
    started = time.monotonic()
    child = _ingest(home, files)
    opened = None
    while child.poll() is None:
        if opened is None and (home / "hub.duckdb").exists():
            opened = time.monotonic() - started
        time.sleep(0.01)
    assert child.returncode == 0
    duration = time.monotonic() - started
    return opened or duration, duration
