"""An incremental build gives exactly what a full rebuild gives: the demo's deliveries arrive in two batches, the
second holding every feed's last month and two corrected re-deliveries of old months (which must replace those
months whole, and the rolling windows reaching back into them), and a recorded crime of a category group the first
batch never had (which the zero-filled facts must add to every month of the feed)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from demo.run import DEMO_AS_AT
from tests.helpers import copy_hub, make_hub
from warehouse.paths import HubPaths
from warehouse.transform import TransformError, plan_build, run_dbt

LAST_MONTH = "2018-03"
NEW_GROUP_OFFENCE_CODE = "999/99"  # in no Home Office offence list
INCREMENTAL_TABLES = ("intermediate.int_points_placed", "intermediate.int_incidents_placed", "marts.fct_ward_month",
                      "marts.repeat_locations_ward_month", "marts.repeat_victims_district_month")
DOWNSTREAM = ("marts.fct_district_month", "marts.kpi_results", "marts.tactical_exceptions", "marts.vli_ward",
              "open_data.open_ward_month")


def _split(incoming: Path, first: Path, second: Path) -> None:
    """Copy the demo's deliveries (keeping their delivery times): the last month and the corrections come second."""
    for path in incoming.rglob("*.*"):
        later = path.name.startswith(LAST_MONTH) or path.parent.name == "redelivered"
        target = (second if later else first) / path.relative_to(incoming)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def _report_a_new_group(second: Path) -> None:
    """The last month's first recorded crime given an offence code the taxonomy does not map: category group
    Unmapped, which the demo's recorded crime never had. The file keeps its delivery time."""
    (path,) = second.rglob(f"{LAST_MONTH}-gmp-recorded-crime.csv")
    delivered = path.stat()
    header, first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = first.split(",")
    fields[header.split(",").index("HO Offence Code")] = NEW_GROUP_OFFENCE_CODE
    path.write_text("".join([header, ",".join(fields), *rest]), encoding="utf-8")
    os.utime(path, ns=(delivered.st_atime_ns, delivered.st_mtime_ns))


@pytest.fixture(scope="module")
def builds(demo, tmp_path_factory, hub_template):
    """(the plan of the incremental build, a copy of its database, the database after a full rebuild)."""
    demo_home, _ = demo
    folder = tmp_path_factory.mktemp("incremental")
    first, second = folder / "first", folder / "second"
    _split(demo_home / "incoming", first, second)
    _report_a_new_group(second)
    hub = replace(make_hub(folder / "hub", hub_template), as_at=DEMO_AS_AT, key_file=demo_home / "demo-pseudonym.key")
    hub.ingest_from(first)
    assert hub.build().full_refresh
    hub.ingest_from(second)
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    changed = con.execute("select partner, feed, strftime(month_start, '%Y-%m') from intermediate.int_changed_months "
                          "order by all").fetchall()  # a view: what the next build will recompute
    con.close()
    plan = hub.build()
    con = duckdb.connect(str(hub.paths.working_db))
    con.execute("checkpoint")
    con.close()
    incremental = folder / "incremental.duckdb"
    shutil.copyfile(hub.paths.working_db, incremental)
    assert hub.build(full_refresh=True).full_refresh
    return plan, changed, incremental, hub.paths.working_db


def test_the_second_build_recomputes_only_the_months_its_loads_touched(builds):
    plan, changed, _, _ = builds
    assert not plan.full_refresh
    corrected = {("fire", "incidents", "2016-09"), ("ambulance", "callouts", "2017-02")}
    assert corrected <= set(changed)
    assert {month for _, _, month in set(changed) - corrected} == {LAST_MONTH}


def test_a_category_group_first_reported_in_the_new_month_is_zero_filled_over_every_month_of_its_feed(builds):
    _, _, incremental, _ = builds
    con = duckdb.connect(str(incremental), read_only=True)
    months, unmapped_months, unmapped_incidents = con.execute("""
        select count(distinct month_start), count(distinct month_start) filter (where category_group = 'Unmapped'),
            sum(incident_count) filter (where category_group = 'Unmapped')
        from marts.fct_ward_month where partner = 'police' and feed = 'recorded_crime'""").fetchone()
    con.close()
    assert months > 1 and (unmapped_months, unmapped_incidents) == (months, 1)


# Doubles are compared within a relative 1e-9: a parallel sum may differ in its last bits between runs (the VLI's
# deprivation domain index did once: 208.2235908865002 against 208.22359088649978), and rounding both to a fixed
# number of decimals still differs when the two straddle a rounding boundary.
TOLERANCE = 1e-9


def _unmatched(con, table: str, ours: str, theirs: str) -> int:
    """Rows of `ours` with no row of `theirs` alike: every column but the doubles equal (nulls alike), the doubles
    within TOLERANCE. Rows alike in every other column are paired in the order of their doubles."""
    schema, name = table.split(".")
    columns = con.execute("select column_name, data_type from information_schema.columns where table_catalog = 'hub' "
                          "and table_schema = ? and table_name = ? order by ordinal_position", [schema, name]).fetchall()
    exact = [c for c, kind in columns if kind != "DOUBLE"]
    doubles = [c for c, kind in columns if kind == "DOUBLE"]
    order = ", ".join(doubles) or "1"

    def numbered(relation: str) -> str:
        return f"select *, row_number() over (partition by {', '.join(exact)} order by {order}) as pair_number from {relation}"

    alike = " and ".join([f"a.{c} is not distinct from b.{c}" for c in exact + ["pair_number"]]
                         + [f"(a.{c} is null and b.{c} is null or abs(a.{c} - b.{c}) <= {TOLERANCE} * greatest(1, abs(b.{c})))"
                            for c in doubles])
    (count,) = con.execute(f"""
        with a as ({numbered(ours)}), b as ({numbered(theirs)})
        select count(*) from a where not exists (select 1 from b where {alike})
    """).fetchone()
    return count


@pytest.mark.parametrize("table", INCREMENTAL_TABLES + DOWNSTREAM)
def test_every_table_equals_a_full_rebuild(builds, table):
    _, _, incremental, full = builds
    con = duckdb.connect(str(full), read_only=True)
    con.execute(f"attach '{incremental}' as incremental (read_only)")
    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    (incremental_rows,) = con.execute(f"select count(*) from incremental.{table}").fetchone()
    extra = _unmatched(con, table, f"incremental.{table}", table)
    missing = _unmatched(con, table, table, f"incremental.{table}")
    con.close()
    assert rows > 0 and (incremental_rows, extra, missing) == (rows, 0, 0), (table, rows, incremental_rows, extra, missing)


def test_the_ward_facts_are_stored_in_month_order_each_build_appending_its_months_in_order(builds):
    """fct_ward_month is written in month order and a later build appends the months it rebuilds, in order, after
    the rows it keeps: its rows go back to an earlier month only where a build's append begins, so DuckDB's row groups
    each hold a few months and a query of recent months skips the rest."""
    _, _, incremental, full = builds
    for database, appends in ((full, 0), (incremental, 1)):
        con = duckdb.connect(str(database), read_only=True)
        months, steps_back = con.execute("""
            select count(distinct month_start), count(*) filter (where month_start < previous_month)
            from (select month_start, lag(month_start) over (order by rowid) as previous_month from marts.fct_ward_month)
        """).fetchone()
        con.close()
        assert months > 12 and steps_back <= appends, (database.name, months, steps_back)


SCOPED_TEST = "unique_combination_stg_police__street_crimes_load_id__source_row"


def _failures(paths: HubPaths, *flags: str) -> int:
    """The failing rows the scoped test finds, run alone by dbt as `hub build` runs it."""
    try:
        run_dbt(paths, "build", "--select", SCOPED_TEST, *flags, as_at=DEMO_AS_AT)
    except TransformError:
        pass  # the test failing is what is read below
    results = json.loads((paths.dbt_dir / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    (result,) = [r for r in results if r["unique_id"].split(".")[2] == SCOPED_TEST]
    return result["failures"]


def test_a_data_test_scoped_to_rebuilt_months_reads_them_alone_unless_the_build_is_full(builds, tmp_path):
    """macros/test_scope.sql: a marked test reads the months the incremental build rebuilds, and every month in a
    full build. A street crime repeated in the second batch's last month and one repeated in an old month: the
    incremental build's test finds the first only, a full build's both."""
    _, _, _, full = builds
    paths = HubPaths(copy_hub(full.parent, tmp_path / "hub"))
    con = duckdb.connect(str(paths.working_db))
    # as before the incremental build: the builds since the first forgotten, so the second batch is what changed
    con.execute("delete from audit.builds where last_load_id > (select min(last_load_id) from audit.builds)")
    for month in (LAST_MONTH, "2017-01"):
        con.execute("insert into raw.police_street_crime select * from raw.police_street_crime "
                    "where strftime(month, '%Y-%m') = ? limit 1", [month])
    con.close()
    assert _failures(paths) == 1
    assert _failures(paths, "--full-refresh") == 2


def test_a_build_with_nothing_loaded_since_the_last_recomputes_no_month_and_says_so(builds):
    _, _, _, full = builds
    paths = HubPaths(full.parent)
    plan = plan_build(paths)
    assert not plan.full_refresh
    assert plan.reason == f"no month, nothing loaded since load {plan.last_load_id}"
    con = duckdb.connect(str(full), read_only=True)
    assert con.execute("select count(*) from intermediate.int_changed_months").fetchone() == (0,)
    con.close()
