"""The national benchmark end to end on a small data set (two months of every force of England and Wales, at a
twelfth of police.uk's volume), into a temporary folder: the generator's files are police.uk's, a smaller size is the
larger's first months linked, the England and Wales hub it builds reconciles with an independent count of the files
through the national lookups, the results file has every section (bench/RESULTS-national.md is the real run's), and
the growth between sizes is worked by hand."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench.harness import Settings
from bench.measure import Run
from bench.national import HUB_STEPS, NationalResult, main, write_results
from bench.national_scale import NationalData, prepare
from demo.data import POLICE_UK_HEADER, SNAP_POINTS_PER_LSOA
from tests.integration.reference import _read
from warehouse.area import POLICE_UK_FORCES

ROWS = 60_000
MONTHLY_ROWS = 40_000
SECTIONS = ("## Targets (the largest size)", "## Each size", "## Analyst queries (the largest size)",
            "## Machine, versions and settings", "## Commands")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> tuple[int, str, NationalData, Path]:
    """(exit code, the results file's text, the data, the published database)."""
    work = tmp_path_factory.mktemp("national")
    results = work / "RESULTS-national.md"
    code = main(["--rows", str(ROWS), "--monthly-rows", str(MONTHLY_ROWS), "--work", str(work),
                 "--results", str(results)])
    data = NationalData.from_manifest(work / "data" / str(ROWS))
    return code, results.read_text(encoding="utf-8"), data, work / "runs" / str(ROWS) / "hub" / "published" / \
        "hub.duckdb"


@pytest.fixture(scope="module")
def published(bench_run):
    con = duckdb.connect(str(bench_run[3]), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def delivered_rows(bench_run) -> list[dict[str, str]]:
    """Every row of the larger size's files, as police.uk's columns."""
    rows = []
    for path in bench_run[2].incoming.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    return rows


@pytest.fixture(scope="module")
def independent_counts(delivered_rows) -> Counter:
    """Rows per (district, month) of the larger size's files, counted in plain Python through the national lookups
    (police.uk's 2011 LSOA -> 2021 LSOA best fit -> 2024 district)."""
    lsoa21_of_lsoa11 = {r["LSOA11CD"]: r["LSOA21CD"] for r in _read("ew_lsoa11_lsoa21_lad22_lookup.csv")}
    district_of_lsoa21 = {r["lsoa21_code"]: r["ltla24_code"] for r in _read("ew_lsoa21_ward24_lad24_lookup.csv")}
    counts = Counter()
    for row in delivered_rows:
        district = district_of_lsoa21.get(lsoa21_of_lsoa11.get(row["LSOA code"], ""))
        if district:
            counts[(district, f"{row['Month']}-01")] += 1
    return counts


def test_the_run_is_end_to_end_and_every_section_is_written(bench_run):
    code, text, data, published = bench_run
    assert code == 0, text + "\nThe end of every step's output:\n" + _log_tail(published.parents[2] / "commands.log")
    for section in SECTIONS:
        assert section in text, section
    assert f"\n{data.rows:,} street-crime rows\n" in text
    assert re.search(r"\nend to end: \d+ s\n", text)
    (line,) = [line for line in text.splitlines() if line.startswith(f"| {data.rows:,} |")]
    assert "| passed |" in line and "n/a" not in line, line


def _log_tail(log: Path) -> str:
    """Enough of commands.log to hold `hub check`'s output as well as the failing step's: a check that exits 1 is
    taken for the gate refusing, so its own output is where a run that stops at publish says why."""
    return log.read_text(encoding="utf-8", errors="replace")[-8000:] if log.exists() else f"({log} was not written)"


def test_every_force_has_a_police_uk_file_each_month(bench_run):
    data = bench_run[2]
    with POLICE_UK_FORCES.open(encoding="utf-8", newline="") as f:
        forces = {row["police_uk_force"] for row in csv.DictReader(f)}
    assert (data.first_month, data.last_month, len(data.month_rows)) == (date(2010, 12, 1), date(2011, 1, 1), 2)
    found, rows = Counter(), 0
    for path in sorted(data.incoming.rglob("*.csv")):
        assert re.fullmatch(r"\d{4}-\d{2}-[a-z-]+-street\.csv", path.name), path.name
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            assert tuple(next(reader)) == POLICE_UK_HEADER
            records = list(reader)
        assert {record[3] for record in records} == {records[0][3]}      # one force a file
        found[(records[0][3], records[0][1])] += 1
        rows += len(records)
    assert rows == data.rows == sum(data.month_rows)
    assert set(found.values()) == {1} and {force for force, _ in found} == forces


def test_crimes_recur_at_each_lsoa_s_few_snap_points_the_same_every_month(delivered_rows):
    """police.uk places each crime at one of a limited set of anonymised points, so a place recurs month to month."""
    points = {}
    for row in delivered_rows:
        if row["Longitude"]:
            points.setdefault((row["Month"], row["LSOA code"]), set()).add((row["Longitude"], row["Latitude"]))
    assert max(len(at) for at in points.values()) <= SNAP_POINTS_PER_LSOA
    december = {lsoa: at for (month, lsoa), at in points.items() if month == "2010-12"}
    january = {lsoa: at for (month, lsoa), at in points.items() if month == "2011-01"}
    shared = december.keys() & january.keys()
    assert len(shared) > 1000
    assert all(len(december[lsoa] | january[lsoa]) <= SNAP_POINTS_PER_LSOA for lsoa in shared)


def test_a_smaller_size_is_the_larger_s_first_months_linked(bench_run, tmp_path):
    large = bench_run[2]
    small = prepare(tmp_path / "small", large.month_rows[0] - 1, monthly_rows=MONTHLY_ROWS, within=large)
    assert (small.first_month, small.last_month, small.month_rows) == (large.first_month, large.first_month,
                                                                       large.month_rows[:1])
    linked = sorted(small.incoming.rglob("*.csv"))
    assert len(linked) == small.files == 43
    for path in linked:
        assert path.stat().st_ino == (large.incoming / path.relative_to(small.incoming)).stat().st_ino


def test_growth_is_seconds_per_million_rows_and_the_exponent_between_the_ends(tmp_path):
    """Hand-worked: 1M rows ingested in 10 s, 4M in 80 s: 10 and 20 s per million, and 80 / 10 = (4M / 1M)^b gives
    b = ln 8 / ln 4 = 1.5, worse than linear."""
    def measured(rows: int, ingest: float) -> NationalResult:
        data = NationalData(tmp_path, rows, MONTHLY_ROWS, 1, rows, 1, 43, date(2010, 12, 1), date(2010, 12, 1),
                            (rows,), 0.0)
        runs = {step: Run(ingest if step == "ingest" else 5.0, 10 ** 9, 0, "") for step in HUB_STEPS}
        return NationalResult(data, tmp_path, runs=runs)

    results = tmp_path / "RESULTS-national.md"
    write_results(results, [measured(1_000_000, 10.0), measured(4_000_000, 80.0)], Settings("3GB", 2, 1),
                  command="test", load=("0", "0"))
    text = results.read_text(encoding="utf-8")
    assert "| hub ingest | 10.0 s | 20.0 s | 1.50 |" in text
    assert "\n4,000,000 street-crime rows\nend to end: 95 s\n" in text


def test_the_districts_are_every_district_of_england_and_wales(published):
    lookup = {(r["ltla24_code"], r["ltla24_name"]) for r in _read("ew_lad24_csp24_pfa24_lookup.csv")}
    rows = published.execute("select district_code, district_name, county_code, county_name "
                             "from marts.dim_district").fetchall()
    assert sorted(rows) == sorted((code, name, "K04000001", "England and Wales") for code, name in lookup)
    assert {code[0] for code, _ in lookup} == {"E", "W"}


def test_district_counts_equal_an_independent_count_through_the_national_lookups(published, independent_counts):
    counted = published.execute(
        "select district_code, strftime(month_start, '%Y-%m-%d'), sum(incident_count) from marts.fct_district_month "
        "where partner = 'police' and feed = 'street_crime' and incident_count is not null group by all "
        "having sum(incident_count) > 0").fetchall()
    assert {(district, month): n for district, month, n in counted} == dict(independent_counts)
    assert any(district.startswith("W") for district, _ in independent_counts)


def test_each_force_s_file_covers_its_own_districts(published):
    """Every force delivered every month, so every district-month is covered, each through its own force's file."""
    coverage = published.execute(
        "select coverage, count(*) from marts.fct_district_month where partner = 'police' group by all").fetchall()
    assert [state for state, _ in coverage] == ["covered"]


def test_the_largest_size_s_hub_passed_its_quality_gate_with_welsh_lsoas(published, bench_run):
    assert published.execute("select count(*) from marts.fct_incidents").fetchone() == (bench_run[2].rows,)
    assert published.execute("select count(*) from marts.fct_incidents where lsoa_code like 'W01%' and "
                             "district_code like 'W%'").fetchone()[0] > 0
