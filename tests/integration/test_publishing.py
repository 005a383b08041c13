"""Publishing, with real processes and files: one gate, a subset for readers with documented modes, one switch,
kills at any moment, one writer, and environment errors as one line with exit 2.

One hub is built, checked and published once per session (published_gmp_hub); each test that changes it works on its
own copy of that hub folder."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.helpers import GMP, copy_hub, hub_cli, make_hub
from tests.integration.test_quality_gate import next_year_month, write_future_month_copy
from warehouse.paths import PROJECT_DIR, HubPaths

KILL_ROUNDS = 4


@pytest.fixture
def built(published_gmp_hub) -> Path:
    return published_gmp_hub


@pytest.fixture
def home(built, tmp_path) -> Path:
    return copy_hub(built, tmp_path / "hub")


def published_state(home: Path) -> dict[str, str]:
    """Every published file by its path under published/ (through the links, as readers see them) and digest."""
    published = home / "published"
    state = {}
    for name in ("hub.duckdb", "catalogue.html", "parquet", "open"):
        path = published / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] if path.exists() else []
        state |= {str(f.relative_to(published)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    return state


def assert_one_whole_release(home: Path) -> None:
    """Readers' paths all lead into one complete release folder, whose database opens and matches its Parquet."""
    published = home / "published"
    releases = {(published / name).resolve().parent for name in ("hub.duckdb", "catalogue.html", "parquet")}
    assert len(releases) == 1, releases
    (release,) = releases
    assert release.parent == published / "releases" and not release.name.startswith(".")
    assert (release / "catalogue.html").stat().st_size > 0
    con = duckdb.connect(str(published / "hub.duckdb"), read_only=True)
    try:
        (in_db,) = con.execute("select count(*) from marts.fct_incidents").fetchone()
        (in_parquet,) = con.execute(
            f"select count(*) from read_parquet('{published / 'parquet' / 'fct_incidents.parquet'}')").fetchone()
    finally:
        con.close()
    assert in_db == in_parquet == 2499


def hub_process(home: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "warehouse.cli", *args], cwd=PROJECT_DIR,
                            env={**os.environ, "HUB_HOME": str(home)}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def assert_one_clear_line(result, code: int, *words: str) -> None:
    out = result.stdout + result.stderr
    assert result.returncode == code, out
    assert "Traceback" not in out, out
    assert len(out.strip().splitlines()) == 1, out
    for word in words:
        assert word.lower() in out.lower(), out


def wait_for(condition, seconds: float = 120) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "timed out"
        time.sleep(0.02)


# The gate

def test_neither_a_failed_check_nor_a_failed_build_can_be_published_and_the_published_files_stay_byte_for_byte(
        home, real_dir):
    before = published_state(home)
    month = next_year_month()
    future = home / "delivered" / f"{month}-greater-manchester-street.csv"
    write_future_month_copy(real_dir / "police_street" / GMP, future, month)
    assert hub_cli(home, "ingest", "police", str(future)).returncode == 0
    assert hub_cli(home, "build").returncode == 0
    assert hub_cli(home, "check").returncode == 1  # a month in the future is critical
    refused = hub_cli(home, "publish")
    assert refused.returncode == 1 and "critical failure" in refused.stdout, refused.stdout + refused.stderr
    assert published_state(home) == before

    # A row of a new delivery twice over in the warehouse: the staging model's unique-key test, which an incremental
    # build runs on the months it rebuilds, fails, and dbt skips everything downstream of it.
    later_month = f"{int(month[:4]) + 1}{month[4:]}"
    later = home / "delivered" / f"{later_month}-greater-manchester-street.csv"
    write_future_month_copy(real_dir / "police_street" / GMP, later, later_month)
    assert hub_cli(home, "ingest", "police", str(later)).returncode == 0
    con = duckdb.connect(str(home / "hub.duckdb"))
    try:
        con.execute("insert into raw.police_street_crime select * from raw.police_street_crime "
                    "where load_id = (select max(load_id) from raw.police_street_crime) limit 1")
    finally:
        con.close()
    build = hub_cli(home, "build")
    assert build.returncode == 1 and "dbt build failed" in build.stdout, build.stdout + build.stderr
    for command in (("publish",), ("publish", "--open")):
        result = hub_cli(home, *command)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Not published" in result.stdout and "latest build" in result.stdout and "failed" in result.stdout
    assert published_state(home) == before


def test_a_build_that_was_never_checked_cannot_be_published(tmp_path, real_dir):
    home = tmp_path / "hub"
    hub = make_hub(home)
    hub.ingest("police", real_dir / "police_street" / GMP)
    result = hub_cli(home, "publish")
    assert result.returncode == 1 and "nothing has been built" in result.stdout, result.stdout + result.stderr
    assert not (home / "published" / "hub.duckdb").exists()


# What readers get, and who can read it

def test_the_published_database_holds_the_marts_and_no_raw_staging_or_rejected_rows(built):
    con = duckdb.connect(str(built / "published" / "hub.duckdb"), read_only=True)
    try:
        objects = set(con.execute("select schema_name, table_name from duckdb_tables() "
                                  "union all select schema_name, view_name from duckdb_views() "
                                  "where not internal").fetchall())
        (documented,) = con.execute("select count(*) from duckdb_columns() where schema_name = 'marts' "
                                    "and table_name = 'fct_ward_month' and comment is not null").fetchone()
    finally:
        con.close()
    assert {schema for schema, _ in objects} == {"marts", "open_data", "reference", "audit"}
    assert {name for schema, name in objects if schema == "audit"} == {"loads", "load_periods"}
    assert {"fct_incidents", "fct_ward_month", "dim_ward", "kpi_results", "dq_partner_scorecard"} <= {
        name for schema, name in objects if schema == "marts"}
    assert documented > 5  # dbt's column descriptions travel with the tables


def test_working_files_are_owner_only_and_published_files_have_the_configured_mode_and_group(home):
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    result = subprocess.run([sys.executable, "-m", "warehouse.cli", "publish"], cwd=PROJECT_DIR, text=True,
                            capture_output=True, timeout=600,
                            env={**os.environ, "HUB_HOME": str(home), "HUB_PUBLISHED_GROUP": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    paths = HubPaths(home)
    assert mode(paths.working_db) == 0o600
    assert {mode(f) for f in (paths.incoming, paths.reports, paths.dbt_dir, paths.temp)} == {0o700}
    assert mode(home) == 0o710  # the published group may pass through to published/, not list the hub
    release = paths.current_release.resolve()
    files = [p for p in release.rglob("*") if p.is_file()]
    folders = [release, *(p for p in release.rglob("*") if p.is_dir()), paths.published_dir, paths.releases]
    assert files and {mode(f) for f in files} == {0o640}
    assert {mode(f) for f in folders} == {0o750}
    assert {f.stat().st_gid for f in files + folders} == {1}

    again = subprocess.run([sys.executable, "-m", "warehouse.cli", "publish"], cwd=PROJECT_DIR, text=True,
                           capture_output=True, timeout=600,
                           env={**os.environ, "HUB_HOME": str(home), "HUB_PUBLISHED_MODE": "0644"})
    assert again.returncode == 0, again.stdout + again.stderr
    assert {mode(f) for f in paths.current_release.resolve().rglob("*") if f.is_file()} == {0o644}


# One writer

def test_a_second_command_is_refused_with_exit_2_naming_the_one_running(home):
    publishing = hub_process(home, "publish")
    try:
        wait_for(lambda: (home / "hub.lock").exists() and "hub publish" in (home / "hub.lock").read_text())
        building = hub_cli(home, "build")
    finally:
        out, _ = publishing.communicate(timeout=600)
    assert_one_clear_line(building, 2, "Busy", "`hub publish`")
    assert publishing.returncode == 0, out


def test_two_publishes_racing_one_publishes_the_other_is_refused(home):
    racers = [hub_process(home, "publish") for _ in range(2)]
    outcomes = sorted((racer.wait(timeout=600), racer.stdout.read()) for racer in racers)
    assert [code for code, _ in outcomes] == [0, 2], outcomes
    assert "Busy" in outcomes[1][1] and "Traceback" not in outcomes[1][1]
    assert_one_whole_release(home)


# Environment errors

@pytest.fixture
def small_disk(tmp_path):
    """A 160 MB tmpfs, mounted for the test (the suite runs as root); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN) to make a small or read-only disk")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_stops_publish_with_one_line_exit_2_and_changes_nothing(built, small_disk):
    home = small_disk / "hub"
    copy_hub(built, home)
    before = published_state(home)
    free = shutil.disk_usage(small_disk).free
    with (small_disk / "filler").open("wb") as filler:
        filler.truncate(0)
        filler.write(b"\0" * (free - 2 * 1024 * 1024))

    result = hub_cli(home, "publish")
    assert_one_clear_line(result, 2, "Stopped")
    assert "space" in result.stdout or "full" in result.stdout
    assert published_state(home) == before
    assert [p.name for p in (home / "published" / "releases").iterdir() if p.name.startswith(".")] == []

    (small_disk / "filler").unlink()
    assert hub_cli(home, "publish").returncode == 0
    assert_one_whole_release(home)


def test_a_read_only_disk_stops_every_writing_command_with_one_line_exit_2(built, small_disk, real_dir):
    home = small_disk / "hub"
    copy_hub(built, home)
    before = published_state(home)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for command in (("publish",), ("build",), ("ingest", "police", str(real_dir / "police_street" / GMP))):
        assert_one_clear_line(hub_cli(home, *command), 2, "Stopped", "read-only")
    assert published_state(home) == before


def test_a_folder_given_as_a_file_is_one_line_exit_2(tmp_path):
    folder = tmp_path / "delivery.csv"
    folder.mkdir()
    assert_one_clear_line(hub_cli(tmp_path / "hub", "ingest", "police", str(folder)), 2, str(folder))


def test_a_50_mb_header_line_is_refused_in_one_line_exit_1(tmp_path):
    giant = tmp_path / "giant.csv"
    with giant.open("w", encoding="utf-8") as f:
        f.write("Crime ID," + "x" * 50_000_000 + "\n1,2\n")
    assert_one_clear_line(hub_cli(tmp_path / "hub", "ingest", "police", str(giant)), 1, "Refused")


# One switch, and kills

def test_a_publish_killed_while_staging_leaves_the_old_release_and_the_next_publish_clears_up(home):
    before = published_state(home)
    releases = home / "published" / "releases"
    publishing = hub_process(home, "publish")
    try:
        wait_for(lambda: any(p.name.startswith(".staging-") for p in releases.iterdir()))
        time.sleep(0.3)  # into the copy of the database
    finally:
        publishing.send_signal(signal.SIGKILL)
        publishing.wait(timeout=60)
    assert any(p.name.startswith(".staging-") for p in releases.iterdir())  # what a kill leaves
    assert published_state(home) == before
    assert_one_whole_release(home)

    assert hub_cli(home, "publish").returncode == 0
    assert len(list(releases.iterdir())) == 1
    assert_one_whole_release(home)


def test_publishes_killed_at_random_moments_always_leave_one_whole_release(home):
    started = time.monotonic()
    assert hub_cli(home, "publish").returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(14)
    for _ in range(KILL_ROUNDS):
        publishing = hub_process(home, "publish")
        time.sleep(rng.uniform(0, duration))
        publishing.send_signal(signal.SIGKILL)
        publishing.wait(timeout=60)
        assert_one_whole_release(home)
    assert hub_cli(home, "publish").returncode == 0
    assert len(list((home / "published" / "releases").iterdir())) == 1
    assert [p.name for p in (home / "published").iterdir() if p.name.startswith(".")] == []


def test_a_check_killed_midway_leaves_the_last_data_docs_and_nothing_holding_the_database(home):
    docs = home / "reports" / "data_docs"
    index_before = (docs / "index.html").read_bytes()
    checking = hub_process(home, "check")
    try:
        wait_for(lambda: any(p.name.startswith(".data_docs-") and p.resolve() != docs.resolve()
                             for p in (home / "reports").iterdir()), seconds=300)
        assert processes_holding(home / "hub.duckdb")  # GX's child has the database open: the check is midway
    finally:
        checking.send_signal(signal.SIGKILL)
        checking.wait(timeout=60)
    assert (docs / "index.html").read_bytes() == index_before
    # the check's child goes with it, so the next command can write (it once waited for ever, holding the file).
    # Waited for as a writer sees it: an exiting process leaves /proc's list of open files a moment before the kernel
    # releases its lock.
    wait_for(lambda: writer_can_open(home / "hub.duckdb"), seconds=10)
    assert not processes_holding(home / "hub.duckdb")


def writer_can_open(database: Path) -> bool:
    try:
        duckdb.connect(str(database)).close()
    except duckdb.IOException as error:
        if "Could not set lock" in str(error):
            return False
        raise
    return True


def processes_holding(path: Path) -> list[int]:
    """The processes with `path` open (Linux: /proc/PID/fd)."""
    target, holding = str(path.resolve()), []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.path.realpath(fd) == target for fd in fd_dir.iterdir()):
                holding.append(int(fd_dir.parent.name))
        except (PermissionError, FileNotFoundError, ProcessLookupError):
            continue  # a process that ended while being read, or not ours to read
    return holding
