"""The national benchmark end to end on a small data set (two sizes: one month and two of every force of England and
Wales, at a twelfth of police.uk's volume), into a temporary folder: the generator's files are police.uk's, the
smaller size's are the larger's first month, the England and Wales hub it builds reconciles with an independent count
of the files through the national lookups, and the results file has every section (bench/RESULTS-national.md is the
real run's)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from bench.national import main
from bench.national_scale import MANIFEST, NationalData
from demo.data import POLICE_UK_HEADER
from tests.integration.reference import _read
from warehouse.area import POLICE_UK_FORCES

SIZES = (30_000, 60_000)
MONTHLY_ROWS = 40_000
SECTIONS = ("## Targets (the largest size)", "## Each size", "## How time grows with the rows",
            "## Analyst queries (the largest size)", "## Machine, versions and settings", "## Commands")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> tuple[int, str, dict[int, NationalData], Path]:
    """(exit code, the results file's text, the data of each size, the published database of the larger size)."""
    work = tmp_path_factory.mktemp("national")
    results = work / "RESULTS-national.md"
    code = main(["--rows", *map(str, SIZES), "--monthly-rows", str(MONTHLY_ROWS), "--work", str(work),
                 "--results", str(results)])
    data = {rows: NationalData.from_manifest(work / "data" / str(rows)) for rows in SIZES}
    return code, results.read_text(encoding="utf-8"), data, work / "runs" / str(SIZES[-1]) / "hub" / "published" / \
        "hub.duckdb"


@pytest.fixture(scope="module")
def published(bench_run):
    con = duckdb.connect(str(bench_run[3]), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def independent_counts(bench_run) -> Counter:
    """Rows per (district, month) of the larger size's files, counted in plain Python through the national lookups
    (police.uk's 2011 LSOA -> 2021 LSOA best fit -> 2024 district)."""
    lsoa21_of_lsoa11 = {r["LSOA11CD"]: r["LSOA21CD"] for r in _read("ew_lsoa11_lsoa21_lad22_lookup.csv")}
    district_of_lsoa21 = {r["lsoa21_code"]: r["ltla24_code"] for r in _read("ew_lsoa21_ward24_lad24_lookup.csv")}
    counts = Counter()
    for path in bench_run[2][SIZES[-1]].incoming.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                district = district_of_lsoa21.get(lsoa21_of_lsoa11.get(row["LSOA code"], ""))
                if district:
                    counts[(district, f"{row['Month']}-01")] += 1
    return counts


def test_both_sizes_run_end_to_end_and_every_section_is_written(bench_run):
    code, text, data, _ = bench_run
    assert code == 0, text
    for section in SECTIONS:
        assert section in text, section
    largest = data[SIZES[-1]]
    assert f"\n{largest.rows:,} street-crime rows\n" in text
    assert re.search(r"\nend to end: \d+ s\n", text)
    for rows in SIZES:
        (line,) = [line for line in text.splitlines() if line.startswith(f"| {data[rows].rows:,} |")]
        assert "| passed |" in line and "n/a" not in line, line


def test_every_force_has_a_police_uk_file_each_month_and_the_smaller_size_links_the_larger_s(bench_run):
    _, _, data, _ = bench_run
    small, large = data[SIZES[0]], data[SIZES[-1]]
    with POLICE_UK_FORCES.open(encoding="utf-8", newline="") as f:
        forces = {row["police_uk_force"] for row in csv.DictReader(f)}
    assert small.first_month == small.last_month == large.first_month < large.last_month
    assert (len(small.month_rows), len(large.month_rows)) == (1, 2) and small.rows == large.month_rows[0]
    found, rows = Counter(), 0
    for path in sorted(large.incoming.rglob("*.csv")):
        assert re.fullmatch(r"\d{4}-\d{2}-[a-z-]+-street\.csv", path.name), path.name
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            assert tuple(next(reader)) == POLICE_UK_HEADER
            records = list(reader)
        assert {record[3] for record in records} == {records[0][3]}      # one force a file
        found[(records[0][3], records[0][1])] += 1
        rows += len(records)
    assert rows == large.rows == sum(large.month_rows)
    assert set(found.values()) == {1} and {force for force, _ in found} == forces
    for path in small.incoming.rglob("*.csv"):
        twin = large.incoming / path.relative_to(small.incoming)
        assert path.stat().st_ino == twin.stat().st_ino


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
    assert published.execute("select count(*) from marts.fct_incidents").fetchone() == (bench_run[2][SIZES[-1]].rows,)
    assert published.execute("select count(*) from marts.fct_incidents where lsoa_code like 'W01%' and "
                             "district_code like 'W%'").fetchone()[0] > 0
