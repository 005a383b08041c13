"""The open-data set `hub demo` publishes (as `hub publish --open` does): read as the public would read it, from its
CSV files alone, and then against the partnership's own unsuppressed facts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.disclosure_attack import feasible_ranges, hub_rule_group, is_disclosed
from tests.helpers import csv_rows

MAX_COUNT = 4  # dbt_project.yml var open_data_suppression_max_count
GROUP = ("district_code", "month_start", "partner", "feed", "category_group")
COUNT = "incident_or_offender_count"  # incidents, or for the probation caseload the people on it
WARD_COLUMNS = ["ward_code", "month_start", "partner", "feed", "category_group", "ward_name", "district_code",
                "district_name", COUNT, "population", "rate_per_1000_population", "coverage", "is_sensitive",
                "is_suppressed"]
DISTRICT_COLUMNS = ["district_code", "month_start", "partner", "feed", "category_group", "district_name", COUNT,
                    "population", "rate_per_1000_population", "is_sensitive", "coverage"]


@pytest.fixture(scope="module")
def open_files(demo) -> tuple[Path, list[dict[str, str]], list[dict[str, str]]]:
    home, _ = demo
    folder = home / "published" / "open"
    return home, csv_rows(folder / "open_ward_month.csv"), csv_rows(folder / "open_district_month.csv")


def test_the_open_set_is_csv_and_parquet_with_a_readme_and_no_pseudonyms_or_lsoas(open_files):
    home, wards, districts = open_files
    folder = home / "published" / "open"
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "open_district_month.csv", "open_district_month.parquet", "open_ward_month.csv",
        "open_ward_month.parquet"]
    assert list(wards[0]) == WARD_COLUMNS and list(districts[0]) == DISTRICT_COLUMNS
    parquet = duckdb.sql(f"select count(*) from '{folder / 'open_ward_month.parquet'}'").fetchone()
    assert parquet == (len(wards),)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "| rate_per_1000_population |" in readme and "suppressed" in readme


def test_no_withheld_cell_can_be_worked_out_by_a_reader_who_knows_the_rule(open_files):
    """The reader of tests/disclosure_attack.py, with everything the CSV files say and the rule the README publishes:
    no withheld ward's feasible range is one value or inside the small-number band."""
    _, wards, districts = open_files
    # a group the deliveries do not cover is blank whole (test_coverage), so it withholds nothing to work out
    totals = {tuple(d[c] for c in GROUP): int(d[COUNT]) for d in districts if d["coverage"] == "covered"}
    groups = defaultdict(list)
    for w in wards:
        groups[tuple(w[c] for c in GROUP)].append(w)
    withheld_cells = 0
    for key, cells in groups.items():
        hidden = [c for c in cells if c["is_suppressed"] == "true"]
        if not hidden or key not in totals:
            continue
        assert all(c[COUNT] == "" and c["rate_per_1000_population"] == "" for c in hidden), key
        published = [int(c[COUNT]) for c in cells if c["is_suppressed"] == "false"]
        ranges = feasible_ranges(hub_rule_group(totals[key], published, len(hidden)), MAX_COUNT)
        disclosed = [(c["ward_code"], r) for c, r in zip(hidden, ranges) if is_disclosed(r, MAX_COUNT)]
        assert not disclosed, (key, totals[key], published, disclosed)
        # three or more withheld wards, so the reader cannot even tell that one of them is not 0
        assert all(r[0] == 0 for r in ranges), (key, ranges)
        withheld_cells += len(hidden)
    assert withheld_cells > 0  # the demo has small sensitive counts, so this checked something


def test_every_small_sensitive_count_is_withheld_and_every_published_count_is_true(open_files):
    home, wards, districts = open_files
    con = duckdb.connect(str(home / "published" / "hub.duckdb"), read_only=True)
    truth = {(w, str(m), p, f, g): n for w, m, p, f, g, n in con.execute(
        "select ward_code, month_start, partner, feed, category_group, incident_count from marts.fct_ward_month "
        "union all "
        "select ward_code, month_start, 'probation', 'caseload', 'Offenders on the caseload', offenders "
        "from marts.fct_probation_caseload_ward_month where is_placed").fetchall()}
    district_truth = defaultdict(int)
    district_of = dict(con.execute("select ward_code, district_code from marts.dim_ward").fetchall())
    con.close()
    assert len(wards) == len(truth)
    withheld = defaultdict(int)
    for w in wards:
        true_count = truth[(w["ward_code"], w["month_start"], w["partner"], w["feed"], w["category_group"])]
        if true_count is None:  # a month the deliveries do not cover: blank with its reason, never 0
            assert w[COUNT] == "" and w["coverage"] != "covered", w
            continue
        district_truth[(district_of[w["ward_code"]], w["month_start"], w["partner"], w["feed"], w["category_group"])] += true_count
        sensitive = w["partner"] in ("ambulance", "probation")
        assert w["is_sensitive"] == str(sensitive).lower(), w
        if sensitive and 1 <= true_count <= MAX_COUNT:
            assert w["is_suppressed"] == "true", w
        if w["is_suppressed"] == "true":
            withheld[_band(true_count)] += 1
            assert sensitive, w
        else:
            assert int(w[COUNT]) == true_count, w
    # Zeros and large counts are withheld beside the small ones, so a withheld cell looks like any other.
    assert withheld["zero"] > 0 and withheld["small"] > 0 and withheld["large"] > 0
    assert {tuple(d[c] for c in GROUP): int(d[COUNT]) for d in districts if d["coverage"] == "covered"} == dict(
        district_truth)


def test_a_group_is_withheld_whole_or_published_whole(open_files):
    _, wards, _ = open_files
    withheld_by_group = defaultdict(set)
    for w in wards:
        withheld_by_group[tuple(w[c] for c in GROUP)].add(w["is_suppressed"])
    assert all(len(states) == 1 for states in withheld_by_group.values())


def _band(count: int) -> str:
    return "zero" if count == 0 else "small" if count <= MAX_COUNT else "large"
