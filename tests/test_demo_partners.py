"""The partner demo feeds load through their contracts as delivered: every file, every row, and nothing rejected."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from demo.data import DISTRICTS, generate, month_list, read_lsoas
from demo.partners import generate_partner_feeds
from demo.run import OA11_LOOKUP
from loaders.engine import load_file
from loaders.pseudonyms import PseudonymKey
from loaders.reference import PUBLIC_REFERENCE_CONTRACTS
from loaders.registry import LOAD_ORDER, all_contracts, detect_contract
from warehouse.paths import PROJECT_DIR

SCALE = 0.02
KEY = PseudonymKey(bytes(range(32)))
# The only rejects: the real TfGM casualty table, copied in unchanged, repeats one casualty's key (row 22452).
EXPECTED_REJECTS = {"tfgm_STATS19CasDataJan2010Dec2021forGMServers.csv": 1}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[Path], list[Path]]:
    incoming = tmp_path_factory.mktemp("demo") / "incoming"
    street = generate(read_lsoas(OA11_LOOKUP), incoming / "police" / "demo", scale=SCALE)
    return incoming, street, generate_partner_feeds(incoming, street, scale=SCALE)


@pytest.fixture(scope="module")
def loaded(demo, tmp_path_factory):
    """Every file, street files included, in the order the hub's ingest takes them: the postcode directory first, then
    each partner's files by path."""
    incoming, street, files = demo
    order = {partner: i for i, partner in enumerate(LOAD_ORDER)}
    partner_of = lambda path: path.relative_to(incoming).parts[0]  # noqa: E731
    con = duckdb.connect(str(tmp_path_factory.mktemp("db") / "hub.duckdb"))
    results = {}
    for path in sorted(street + files, key=lambda p: (order[partner_of(p)], p)):
        results[path] = load_file(con, detect_contract(partner_of(path), path), path, KEY)
    yield con, results
    con.close()


def test_every_row_of_every_file_loads_and_none_made_up_is_rejected(loaded):
    _, results = loaded
    for path, result in results.items():
        assert result.status == "loaded", path.name
        assert result.rows_read == result.rows_loaded + result.rows_rejected, path.name
        assert result.rows_rejected == EXPECTED_REJECTS.get(path.name, 0), path.name
        assert result.rows_read >= 5, path.name


def test_every_partner_and_feed_is_delivered(loaded):
    _, results = loaded
    # every feed but the public reference files, which the hub loads from the reference directory, not the demo
    assert {(r.partner, r.feed) for r in results.values()} == {
        (c.partner, c.feed) for c in all_contracts() if c not in PUBLIC_REFERENCE_CONTRACTS}


def test_each_monthly_file_holds_its_month_and_the_collision_files_their_year(loaded):
    _, results = loaded
    months = {f"{m:%Y-%m}" for m in month_list()}
    for path, result in results.items():
        if path.name[:7] in months:
            assert result.periods == (path.name[:7],), path.name
        elif result.feed == "stats19_collisions":
            year = re.search(r"collision-(\d{4})", path.name).group(1)
            assert {p[:4] for p in result.periods} == {year}, path.name
    assert sum(r.feed == "stats19_collisions" for r in results.values()) == 4


def test_the_directory_covers_every_district_and_every_2021_lsoa(loaded):
    con, _ = loaded
    districts = {code for (code,) in con.execute("select distinct la_code from raw.reference_postcodes").fetchall()}
    assert districts == set(DISTRICTS)
    with (OA11_LOOKUP.parent / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv").open(encoding="utf-8", newline="") as f:
        lsoas = {r["lsoa21cd"] for r in csv.DictReader(f)}
    covered = con.execute("select distinct lsoa_code from raw.reference_postcodes").fetchall()
    assert {code for (code,) in covered} == lsoas
    (repeated,) = con.execute("select count(*) - count(distinct postcode) from raw.reference_postcodes").fetchone()
    assert repeated == 0


def test_every_full_postcode_a_partner_sends_is_found_in_the_directory(loaded):
    con, _ = loaded
    for table, column in (("fire_incidents", "postcode"), ("ambulance_callouts", "postcode"),
                          ("probation_caseload", "home_postcode")):
        placed, unplaced = con.execute(f"""
            select count({column}_lsoa_code), count(*) filter (where {column}_lsoa_code is null
                                                                and regexp_full_match({column}_outward_code, '.+'))
            from raw.{table}
        """).fetchone()
        assert placed > 0, table
        # probation sends a few partial postcodes ('M8'): an outward code with no LSOA, never a reject
        assert unplaced == 0 or table == "probation_caseload", table


def test_a_recorded_crime_month_has_one_crime_per_crime_in_that_months_street_file(loaded, demo):
    con, _ = loaded
    _, street, _ = demo
    recorded = dict(con.execute(
        "select strftime(period_month, '%Y-%m'), count(*) from raw.police_recorded_crime group by 1").fetchall())
    for path in street:
        with path.open(encoding="utf-8", newline="") as f:
            crimes = sum(1 for r in csv.DictReader(f) if r["Crime type"] != "Anti-social behaviour")
        assert recorded[path.name[:7]] == crimes, path.name
    assert set(recorded) == {f"{m:%Y-%m}" for m in month_list()}  # December 2016 too, though police.uk's is partial
    (repeated,) = con.execute("select count(*) - count(distinct crime_ref) from raw.police_recorded_crime").fetchone()
    assert repeated == 0


def test_people_repeat_and_probation_references_persist_and_link_to_police_suspects(loaded):
    con, _ = loaded
    (repeat_victims,) = con.execute("""
        select avg(case when n > 1 then 1.0 else 0 end) from (
            select victim_ref, count(*) as n from raw.police_recorded_crime where victim_ref is not null group by 1)
    """).fetchone()
    assert 0.05 < repeat_victims < 0.35
    snapshots = con.execute("""
        select strftime(period_month, '%Y-%m'), list(offender_ref) from raw.probation_caseload group by 1 order by 1
    """).fetchall()
    assert len(snapshots) == 36
    for (_, before), (month, after) in zip(snapshots, snapshots[1:]):
        kept = len(set(before) & set(after)) / len(set(before))
        assert 0.85 <= kept < 1.0, month  # about 5% leave each month, and others join
    everywhere = set.intersection(*(set(refs) for _, refs in snapshots))
    assert everywhere, "some offenders are on the caseload for all three years"
    (suspects_on_probation,) = con.execute("""
        select count(distinct c.suspect_ref) from raw.police_recorded_crime as c
        join raw.probation_caseload as p on p.offender_ref = c.suspect_ref and p.period_month = c.period_month
    """).fetchone()
    assert suspects_on_probation > 0, "some named suspects are on that month's probation caseload, under one pseudonym"
    (repeat_patients,) = con.execute(
        "select count(*) - count(distinct patient_ref) from raw.ambulance_callouts").fetchone()
    assert repeat_patients > 0


def test_files_arrive_by_their_due_day_except_a_few_deliberately_late(loaded):
    """Lateness as the partner scorecard judges it: a file's mtime against the feed's due day after the month."""
    _, results = loaded
    with (PROJECT_DIR / "seeds" / "feed_cadence.csv").open(encoding="utf-8", newline="") as f:
        due = {(r["partner"], r["feed"]): int(r["due_days_after_period"])
               for r in csv.DictReader(f) if r["period_months"] == "1"}
    months = {f"{m:%Y-%m}" for m in month_list()}
    late = Counter()
    for path, result in results.items():
        if path.name[:7] not in months or path.name.endswith("-corrected.csv"):
            continue
        month = date.fromisoformat(path.name[:7] + "-01")
        month_end = date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)
        delivered = datetime.fromtimestamp(path.stat().st_mtime).date()
        assert delivered > month_end, path.name
        feed = (result.partner, result.feed)
        late[feed] += delivered > month_end + timedelta(days=due[feed])
    monthly = {(r.partner, r.feed) for p, r in results.items() if p.name[:7] in months}
    assert len(monthly) == 8
    for feed in monthly:
        assert 1 <= late[feed] <= 3, feed


def test_a_corrected_redelivery_replaces_the_first_delivery_of_its_month(loaded):
    con, results = loaded
    corrected = [p for p in results if p.name.endswith("-corrected.csv")]
    assert sorted(p.name for p in corrected) == ["2016-09-gmfrs-incidents-corrected.csv",
                                                 "2017-02-nwas-callouts-corrected.csv"]
    for path in corrected:
        first = next(p for p in results if p.name == path.name.replace("-corrected", ""))
        assert first.stat().st_mtime < path.stat().st_mtime
        assert results[path].superseded == (results[first].load_id,)
        status, superseded_by = con.execute("select status, superseded_by from audit.loads where load_id = ?",
                                            [results[first].load_id]).fetchone()
        assert (status, superseded_by) == ("superseded", results[path].load_id)
        assert results[path].rows_read > results[first].rows_read


def test_deliberate_secondary_fires_are_where_the_street_files_put_asb_and_criminal_damage(loaded, demo):
    con, _ = loaded
    _, street, _ = demo
    disorder = Counter()
    for path in street:
        with path.open(encoding="utf-8", newline="") as f:
            disorder.update(r["LSOA code"] for r in csv.DictReader(f)
                            if r["Crime type"] in ("Anti-social behaviour", "Criminal damage and arson"))
    hot = {code for code, _ in disorder.most_common(len(disorder) // 10)}

    def share_in_hot(where: str) -> float:
        return con.execute(f"""
            select avg(case when postcode_lsoa_code in (select unnest(?)) then 1.0 else 0 end)
            from raw.fire_incidents where postcode_lsoa_code is not null and {where}
        """, [sorted(hot)]).fetchone()[0]

    deliberate = share_in_hot("stop_code_description = 'Secondary Fire' and motive = 'Deliberate'")
    alarms = share_in_hot("stop_code_description = 'AFA'")
    assert deliberate > 1.5 * alarms


def test_a_second_pass_over_every_delivery_loads_nothing_again(loaded, demo):
    """As every later `hub run` finds them in the incoming folder: the superseded first deliveries of the corrected
    fire and ambulance months are not loaded again, and so do not undo their corrections."""
    con, results = loaded
    before = con.execute("select load_id, status from audit.loads order by all").fetchall()
    partner_of = lambda path: path.relative_to(demo[0]).parts[0]  # noqa: E731
    again = {path: load_file(con, detect_contract(partner_of(path), path), path, KEY).status for path in results}
    assert set(again.values()) == {"skipped"}
    assert con.execute("select load_id, status from audit.loads order by all").fetchall() == before
