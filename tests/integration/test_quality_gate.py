"""A critical data-quality failure stops `hub run` before it publishes, and readers keep the last good data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb

from tests.helpers import GMP, copy_hub, hub_cli
from warehouse.paths import HubPaths


def next_year_month() -> str:
    today = date.today()
    return f"{today.year + 1}-{today.month:02d}"


def write_future_month_copy(source: Path, target: Path, month: str) -> None:
    """The real GMP file, every row re-dated to a month that has not happened yet (a typo'd year, say)."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(rows[0])
        writer.writerows([row[:1] + [month] + row[2:] for row in rows[1:]])


def test_a_future_month_fails_the_gate_exits_1_and_leaves_the_published_file_untouched(
        published_gmp_hub, tmp_path, real_dir):
    paths = HubPaths(copy_hub(published_gmp_hub, tmp_path / "hub"))  # the real GMP file, built, checked, published
    published_before = paths.published_db.read_bytes()

    month = next_year_month()
    write_future_month_copy(real_dir / "police_street" / GMP,
                            paths.incoming / "police" / f"{month}-greater-manchester-street.csv", month)
    result = hub_cli(paths.home, "run")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Not published" in result.stdout
    assert "critical" in result.stdout
    assert paths.published_db.read_bytes() == published_before
    con = duckdb.connect(str(paths.working_db), read_only=True)
    try:
        failed = con.execute("""
            select suite, expectation_type, unexpected_count from audit.dq_results
            where severity = 'critical' and not success
        """).fetchall()
    finally:
        con.close()
    assert failed == [("stg_police__street_crimes", "unexpected_rows_expectation", 2499)]
