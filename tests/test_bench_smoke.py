"""The benchmark harness runs end to end on a tiny data set (seven months, under two thousand incidents, every step
once) and writes a RESULTS file with every section, into a temporary folder: bench/RESULTS.md is the real benchmark's.
Seven months are the fewest the generator takes: two late deliveries per feed, never in the first two months or the
last quarter; the last month is held back for the incremental build."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench.run import main
from bench.scale import MANIFEST

SECTIONS = ("## Machine, versions and settings", "## Data", "## Targets", "## Ingest", "## Build", "## Incremental",
            "## Quality", "## Memory at", "## Analyst queries", "## Commands")
MONTHLY_FEEDS = 8   # street, stop and search, recorded crime, probation, fire, ambulance, BTP, TfGM incidents


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> tuple[int, Path, Path]:
    """(exit code, the RESULTS file, the work folder) of a benchmark of 1,750 incidents over September 2020-March 2021."""
    work = tmp_path_factory.mktemp("bench")
    results = work / "RESULTS.md"
    code = main(["--incidents", "1750", "--repeat", "1", "--months", "7", "--first-month", "2020-09",
                 "--work", str(work), "--results", str(results)])
    return code, results, work


def test_every_step_is_measured_and_every_section_written(bench_run):
    code, results, _ = bench_run
    text = results.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert section in text, section
    failed = [line for line in text.splitlines() if "failed" in line or "not measured" in line or "not run" in line]
    assert code == 0 and not failed, "\n".join(failed)
    assert text.count("| PASS |") + text.count("| MISS |") >= 1


def test_a_build_with_nothing_new_is_measured_and_says_no_month_was_recomputed(bench_run):
    _, results, _ = bench_run
    text = results.read_text(encoding="utf-8")
    assert "| hub build (nothing new) |" in text
    (said,) = [line for line in text.splitlines() if line.startswith("- what each `hub build` without")]
    incremental, nothing_new = said.split("`; `")
    assert "facts recomputed: the months of loads after load" in incremental, said
    assert "facts recomputed: no month, nothing loaded since load" in nothing_new, said


def test_the_last_month_is_held_back_for_the_incremental_build(bench_run):
    _, _, work = bench_run
    data = next((work / "data").iterdir())
    assert (data / MANIFEST).exists()
    held_back = sorted(p.name for p in (data / "held_back").rglob("*.csv"))
    assert len(held_back) == MONTHLY_FEEDS and all(name.startswith("2021-03-") for name in held_back), held_back
    assert not list((data / "incoming").rglob("2021-03-*"))


def test_the_floor_is_a_build_of_a_hub_with_the_reference_data_and_no_partner_row_reported_beside_both_targets(
        bench_run):
    _, results, work = bench_run
    text = results.read_text(encoding="utf-8")
    for step in ("hub build --full-refresh, no partner row", "its models and seeds alone, no partner row"):
        # its rows in the step tables of the build and the incremental sections (the memory table's give a peak)
        timed = [cells for cells in (line.split("|") for line in text.splitlines() if line.startswith(f"| {step} |"))
                 if cells[2].strip().endswith(" s")]
        assert len(timed) == 2 and all(cells[4].strip() == "0" for cells in timed), timed
        for target in ("hand-written DuckDB SQL", "hub build --full-refresh"):
            (figure,) = [line.split("|")[3].strip() for line in text.splitlines() if f": {step} / {target} |" in line]
            assert float(figure) > 0, (step, target)
    con = duckdb.connect(str(work / "runs" / "1750" / "floor" / "hub" / "hub.duckdb"), read_only=True)
    try:
        loads = dict(con.execute("select partner = 'reference', count(*) from audit.loads group by all").fetchall())
    finally:
        con.close()
    assert loads.get(True, 0) > 0 and loads.get(False, 0) == 0, loads


def test_dbt_parses_the_project_once_in_the_whole_run(bench_run):
    """Every dbt command after the first build starts from its saved parse (on the floor's hub and the copy the
    script's two facts are built in too), so the steps compare dbt's work, not how often it parsed the project."""
    _, _, work = bench_run
    logs = sorted((work / "runs" / "1750").glob("**/dbt/logs/dbt.log"))
    said = [line.split("]: ", 1)[-1] for log in logs for line in log.read_text(encoding="utf-8").splitlines()
            if "Unable to do partial parsing" in line]
    assert len(logs) == 3 and said == ["Unable to do partial parsing because saved manifest not found. "
                                       "Starting full parse."], (logs, said)
