"""Every partner feed through the one engine: each real extract as published, and each way a delivery goes wrong.

Real extracts are compared with a plain reading of the same file by the csv module, never by DuckDB.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pytest

from loaders.contracts import Contract
from loaders.engine import load_file
from loaders.errors import LoaderError
from loaders.pseudonyms import PseudonymKey
from loaders.registry import all_contracts, detect_contract
from loaders.stats19_guide import write_codes
from warehouse.paths import PROJECT_DIR

KEY = PseudonymKey(bytes(range(32)))
SAMPLES = PROJECT_DIR / "docs" / "samples"
REAL = PROJECT_DIR.parent / "shared" / "data" / "real"
# A delivery every contract accepts: a real extract as published, or the hub's documented sample.
VALID_DELIVERY = {
    ("reference", "postcode_directory"): REAL / "geography" / "trafford_postcodes_to_lsoa_ward.csv",
    ("reference", "ward_districts"): REAL / "geography" / "gm_ward22_to_lad22_lookup.csv",
    ("reference", "lsoa21_wards"): REAL / "geography" / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv",
    ("reference", "oa11_lookup"): REAL / "geography" / "gm_oa11_lsoa11_msoa11_lad11_lookup.csv",
    ("reference", "oa21_lookup"): REAL / "geography" / "gm_oa21_lsoa21_msoa21_lad22_lookup.csv",
    ("reference", "lsoa11_lsoa21"): REAL / "geography" / "ew_lsoa11_lsoa21_lad22_lookup.csv",
    ("reference", "lsoa21_ward24"): REAL / "geography" / "ew_lsoa21_ward24_lad24_lookup.csv",
    ("reference", "district_csp_pfa"): REAL / "geography" / "ew_lad24_csp24_pfa24_lookup.csv",
    ("reference", "imd2015_domains"): REAL / "geography" / "gm_imd2015_lsoa_domains_long.csv",
    ("reference", "population_mid2016"): REAL / "population" / "gm_lsoa11_mid2016_single_year_of_age.csv",
    ("reference", "population_mid2019"): REAL / "population" / "ew_lsoa11_mid2019_single_year_of_age.csv",
    ("reference", "population_mid2020"): REAL / "population" / "ew_lsoa11_mid2020_broad_ages.csv",
    ("reference", "census2021_residents"): REAL / "population" / "ew_lsoa21_census2021_usual_residents.csv",
    ("reference", "census2021_households"): REAL / "population" / "ew_lsoa21_census2021_households.csv",
    ("police", "street_crime"): REAL / "police_street" / "2016-12-greater-manchester-street_partial.csv",
    ("police", "stop_search"): REAL / "police_stop_search" / "2018-01-greater-manchester-stop-and-search.csv",
    ("police", "recorded_crime"): SAMPLES / "police__recorded_crime.csv",
    ("fire", "incidents"): REAL / "fire" / "lfb_incident_records_2009_head20.csv",
    ("ambulance", "callouts"): SAMPLES / "ambulance__callouts.csv",
    ("probation", "caseload"): SAMPLES / "probation__caseload.csv",
    ("transport", "btp_street_crime"): REAL / "police_street" / "2016-12-greater-manchester-street_partial.csv",
    ("transport", "stats19_casualties"): REAL / "stats19" / "tfgm_STATS19CasDataJan2010Dec2021forGMServers.csv",
    ("transport", "stats19_collisions"): REAL / "stats19" / "dft-road-casualty-statistics-collision-2022_head.csv",
    ("transport", "tfgm_incidents"): SAMPLES / "transport__tfgm_incidents.csv",
}
# A feed the hub writes itself at load time, from a public file that is not a CSV (the DfT guide's workbook).
DERIVED_DELIVERY = {
    ("reference", "stats19_codes"): REAL / "stats19" / "dft-road-safety-open-dataset-data-guide-2024.xlsx",
}
# Boundary polygons (GeoJSON, not rows of a CSV) and the postcode centroids placed in them (which need polygons
# loaded first): their real files are loaded in tests/loaders/test_boundaries.py and tests/integration/test_points_placed.py.
SPATIAL_DELIVERY = {
    ("reference", "gm_lsoa21_boundaries"): REAL / "geography" / "gm_lsoa21_boundaries_generalised.geojson",
    ("reference", "gm_ward22_boundaries"): REAL / "geography" / "gm_ward22_boundaries_generalised.geojson",
    ("reference", "lsoa21_boundaries"): REAL / "geography" / "cleveland_lsoa21_boundaries" / "E06000001.geojson",
    ("reference", "postcode_centroids"): REAL / "geography" / "gm_postcodes_2018-08.csv",
}
CONTRACTS = {(c.partner, c.feed): c for c in all_contracts()}


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "hub.duckdb"))
    yield connection
    connection.close()


def load(con, partner: str, path: Path):
    return load_file(con, detect_contract(partner, path), path, KEY)


def plain_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_every_contract_has_a_valid_delivery_to_test_against():
    assert set(VALID_DELIVERY) | set(DERIVED_DELIVERY) | set(SPATIAL_DELIVERY) == set(CONTRACTS)


@pytest.mark.parametrize("feed", sorted(VALID_DELIVERY), ids="/".join)
def test_each_feeds_valid_delivery_loads_every_row(con, feed):
    partner, _ = feed
    path = VALID_DELIVERY[feed]
    result = load(con, partner, path)
    _, rows = plain_rows(path)
    assert (result.partner, result.feed) == feed
    assert result.rows_read == len(rows) == result.rows_loaded + result.rows_rejected
    (stored,) = con.execute(f"select count(*) from raw.{CONTRACTS[feed].table}").fetchone()
    assert stored == result.rows_loaded


def test_the_dft_code_list_written_from_the_guide_loads_with_its_one_repeated_code_quarantined(con, tmp_path):
    path = write_codes(DERIVED_DELIVERY[("reference", "stats19_codes")], tmp_path / "stats19_codes.csv")
    result = load(con, "reference", path)
    _, rows = plain_rows(path)
    assert (result.feed, result.rows_read, result.rows_rejected) == ("stats19_codes", len(rows), 1)
    assert con.execute("select reason from audit.rejects").fetchone() == (
        "repeats the key (table_name, field_name, code) of row 154",)


def test_stop_and_search_times_are_uk_local_so_a_late_july_search_in_utc_is_an_august_search(con):
    """police.uk writes UTC all year: 23:45 on 31 July (UTC) is 00:45 on 1 August in BST, and sits in August's file."""
    august = REAL / "police_stop_search" / "2018-08-greater-manchester-stop-and-search.csv"
    _, rows = plain_rows(august)
    assert any(r[1] == "2018-07-31T23:45:00+00:00" for r in rows)
    result = load(con, "police", august)
    assert result.periods == ("2018-08",)
    assert con.execute("select min(searched_at) from raw.police_stop_search").fetchone() == (datetime(2018, 8, 1, 0, 45),)


def test_every_real_stop_and_search_file_is_one_month_with_its_values_typed(con):
    for path in sorted((REAL / "police_stop_search").glob("*.csv")):
        _, rows = plain_rows(path)
        result = load(con, "police", path)
        assert result.periods == (path.name[:7],), path.name
        blanks = sum(1 for r in rows if not r[4])
        trues = sum(1 for r in rows if r[14] == "True")
        got = con.execute(
            "select count(*) filter (where latitude is null), count(*) filter (where removal_of_outer_clothing) "
            "from raw.police_stop_search where load_id = ?", [result.load_id]).fetchone()
        assert got == (blanks, trues), path.name


def test_the_lfb_layout_loads_with_its_quirks_undone(con):
    """`01 Jan 2009` dates, '319.0'-style numbers, a trailing space in PropertyType, no Motive column."""
    load(con, "fire", VALID_DELIVERY[("fire", "incidents")])
    first = con.execute("""
        select incident_number, date_of_call, time_of_call, property_type, first_pump_attendance_seconds,
               notional_cost_gbp, motive, postcode_outward_code, ward_code
        from raw.fire_incidents order by source_row limit 2
    """).fetchall()
    assert first == [
        ("235138081", date(2009, 1, 1), time(0, 0, 37), "Car", 319, 255, None, "SW11", "E05014010"),
        ("1091", date(2009, 1, 1), time(0, 0, 46), "Lake/pond/reservoir", None, None, None, "SE1", "E05014118"),
    ]


def test_a_fire_file_with_a_motive_column_loads_through_the_same_contract(con, tmp_path):
    header, rows = plain_rows(VALID_DELIVERY[("fire", "incidents")])
    path = write_rows(tmp_path / "gmfrs.csv", [*header, "Motive"], [[*r, "Deliberate"] for r in rows])
    result = load(con, "fire", path)
    assert result.feed == "incidents" and result.rows_rejected == 0
    assert con.execute("select distinct motive from raw.fire_incidents").fetchall() == [("Deliberate",)]
    assert con.execute("select count(*) from raw.fire_incidents where fatal_casualties is not null "
                       "or non_fatal_casualties is not null").fetchone() == (0,)  # not recorded: unknown, not 0


def test_casualty_columns_load_as_counts_and_a_count_that_is_not_a_number_is_quarantined(con, tmp_path):
    header, rows = plain_rows(VALID_DELIVERY[("fire", "incidents")])
    # 1e30 is a whole number too large for a count: quarantined like "two", not a failed read
    counts = [("1", "0"), ("0", "2.0"), ("0", "two"), ("1e30", "0")] + [("0", "0")] * (len(rows) - 4)
    path = write_rows(tmp_path / "gmfrs.csv", [*header, "FatalCasualties", "NonFatalCasualties"],
                      [[*r, *c] for r, c in zip(rows, counts)])
    result = load(con, "fire", path)
    assert (result.rows_loaded, result.rows_rejected) == (len(rows) - 2, 2)
    assert con.execute("select source_row, column_name from audit.rejects order by source_row").fetchall() == [
        (3, "NonFatalCasualties"), (4, "FatalCasualties")]
    assert con.execute("select fatal_casualties, non_fatal_casualties from raw.fire_incidents "
                       "order by source_row limit 2").fetchall() == [(1, 0), (0, 2)]


def test_the_real_tfgm_casualty_table_quarantines_its_one_repeated_casualty(con):
    """The real table repeats one (accident, vehicle, casualty) key; the first is kept, the repeat named."""
    path = VALID_DELIVERY[("transport", "stats19_casualties")]
    _, rows = plain_rows(path)
    keys = [(r[0], r[2], r[3]) for r in rows]
    (repeated, _), = [(k, n) for k, n in Counter(keys).items() if n > 1]
    first, second = (i + 1 for i, k in enumerate(keys) if k == repeated)
    result = load(con, "transport", path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (len(rows), len(rows) - 1, 1)
    assert con.execute("select source_row, reason from audit.rejects").fetchall() == [
        (second, f"repeats the key (Accident Index, VehicleReferenceNumber, CasualtyNumber) of row {first}")]
    by_year = dict(con.execute(
        "select year, count(*) from raw.transport_stats19_casualties where casualty_severity in (1, 2) group by 1").fetchall())
    expected = {}
    for i, r in enumerate(rows, start=1):
        if r[7] in ("1", "2") and i != second:
            expected[int(r[1])] = expected.get(int(r[1]), 0) + 1
    assert by_year == expected


def test_the_dft_collision_layout_reads_its_bom_and_keeps_minus_one_sentinels_as_codes(con):
    load(con, "transport", VALID_DELIVERY[("transport", "stats19_collisions")])
    got = con.execute("""
        select accident_index, collision_date, collision_time, local_authority_district, lsoa_code
        from raw.transport_stats19_collisions order by source_row limit 1
    """).fetchone()
    assert got == ("2022010352073", date(2022, 1, 5), time(16, 40), -1, "E01001883")


def test_postcodes_become_their_lsoa_and_outward_code_at_the_door(con):
    load(con, "reference", VALID_DELIVERY[("reference", "postcode_directory")])
    load(con, "probation", VALID_DELIVERY[("probation", "caseload")])
    directory = {r[0]: r[5] for r in plain_rows(VALID_DELIVERY[("reference", "postcode_directory")])[1]}
    _, rows = plain_rows(VALID_DELIVERY[("probation", "caseload")])
    expected = [(directory.get(r[2]), r[2].split(" ")[0] if r[2] else None) for r in rows]
    assert con.execute("select home_postcode_lsoa_code, home_postcode_outward_code from raw.probation_caseload "
                       "order by source_row").fetchall() == expected
    columns = {c for (c,) in con.execute("select column_name from information_schema.columns "
                                          "where table_name = 'probation_caseload'").fetchall()}
    assert "home_postcode" not in columns


def test_a_reference_is_pseudonymised_the_same_whether_sent_as_1091_or_1091_0(con, tmp_path):
    header, rows = plain_rows(VALID_DELIVERY[("fire", "incidents")])
    uprn = header.index("UPRN")
    rows = [r[:] for r in rows[:2]]
    rows[0][uprn], rows[1][uprn] = "100021491527.0", "100021491527"
    load(con, "fire", write_rows(tmp_path / "uprn.csv", header, rows))
    assert con.execute("select count(distinct uprn), count(uprn) from raw.fire_incidents").fetchone() == (1, 2)


# ---- broken deliveries: the same faults tried on every feed --------------------------------------------------


def _broken(tmp_path: Path, feed: tuple[str, str], fault: str) -> tuple[Path, Contract, list[str], list[list[str]]]:
    contract = CONTRACTS[feed]
    header, rows = plain_rows(VALID_DELIVERY[feed])
    rows = [r[:] for r in rows[:3]]
    return tmp_path / f"{feed[1]}-{fault}.csv", contract, header, rows


@pytest.mark.parametrize("feed", sorted(VALID_DELIVERY), ids="/".join)
def test_a_missing_column_refuses_the_file_naming_it(con, tmp_path, feed):
    path, contract, header, rows = _broken(tmp_path, feed, "missing-column")
    dropped = next(c for c in contract.columns if c.required)
    index = header.index(dropped.source)
    write_rows(path, header[:index] + header[index + 1:], [r[:index] + r[index + 1:] for r in rows])
    with pytest.raises(LoaderError, match=rf"^{path.name}, line 1: .*missing column\(s\) '{dropped.source}'"):
        load(con, feed[0], path)


@pytest.mark.parametrize("feed", sorted(VALID_DELIVERY), ids="/".join)
def test_a_bad_period_value_is_quarantined_with_its_row_column_and_reason(con, tmp_path, feed):
    path, contract, header, rows = _broken(tmp_path, feed, "bad-date")
    column = contract.column(contract.period or next(c.name for c in contract.columns if c.required))
    rows[1][header.index(column.source)] = "" if contract.period is None else "31/02/2017x"
    result = load(con, feed[0], write_rows(path, header, rows))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    (row, name, reason, record) = con.execute("select source_row, column_name, reason, record from audit.rejects").fetchone()
    assert (row, name) == (2, column.source)
    assert reason.startswith(column.source) and ("31/02/2017x" in reason or "blank but required" in reason)
    assert json.loads(record)[column.source] in ("31/02/2017x", None)


CODED = sorted(feed for feed, contract in CONTRACTS.items() if any(c.values for c in contract.columns))


@pytest.mark.parametrize("feed", CODED, ids="/".join)
def test_an_unknown_code_is_quarantined(con, tmp_path, feed):
    path, contract, header, rows = _broken(tmp_path, feed, "unknown-code")
    column = next(c for c in contract.columns if c.values)
    rows[0][header.index(column.source)] = "77"
    result = load(con, feed[0], write_rows(path, header, rows))
    assert (result.rows_loaded, result.rows_rejected) == (2, 1)
    assert con.execute("select source_row, reason from audit.rejects").fetchall() == [
        (1, f"{column.source} '77' is not a known code")]


KEYED = sorted(feed for feed, contract in CONTRACTS.items() if contract.natural_key and feed in VALID_DELIVERY)


@pytest.mark.parametrize("feed", KEYED, ids="/".join)
def test_a_repeated_key_keeps_the_first_row_and_quarantines_the_repeat(con, tmp_path, feed):
    path, contract, header, rows = _broken(tmp_path, feed, "duplicate")
    result = load(con, feed[0], write_rows(path, header, [*rows, rows[0]]))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 3, 1)
    (row, reason) = con.execute("select source_row, reason from audit.rejects").fetchone()
    assert row == 4 and reason.endswith("of row 1")


@pytest.mark.parametrize("feed", sorted(VALID_DELIVERY), ids="/".join)
def test_a_file_in_utf16_is_refused_as_not_text(con, tmp_path, feed):
    path, _, header, rows = _broken(tmp_path, feed, "utf16")
    write_rows(path, header, rows, encoding="utf-16")
    with pytest.raises(LoaderError, match=rf"^{path.name}, line 1: "):
        load(con, feed[0], path)


SPREADSHEET = sorted(feed for feed, contract in CONTRACTS.items() if "cp1252" in contract.encodings)


@pytest.mark.parametrize("feed", SPREADSHEET, ids="/".join)
def test_a_cp1252_file_from_excel_loads_like_utf8(con, tmp_path, feed):
    path, contract, header, rows = _broken(tmp_path, feed, "cp1252")
    text_columns = [c for c in contract.columns if c.type == "varchar" and not c.values]
    text_column = min(text_columns, key=lambda c: bool(c.personal))  # one that is stored, where the feed has one
    rows[0][header.index(text_column.source)] = "Café £5"
    result = load(con, feed[0], write_rows(path, header, rows, encoding="cp1252"))
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    if not text_column.personal:
        stored = con.execute(f"select {text_column.name} from raw.{contract.table} order by source_row limit 1").fetchone()
        assert stored == ("Café £5",)


def test_a_utf8_file_with_an_undecodable_byte_is_refused_for_a_utf8_only_feed(con, tmp_path):
    header, rows = plain_rows(VALID_DELIVERY[("police", "stop_search")])
    path = tmp_path / "latin1.csv"
    write_rows(path, header, [r[:] for r in rows[:2]])
    path.write_bytes(path.read_bytes().replace(b"White", b"Wh\xefte", 1))
    with pytest.raises(LoaderError, match="latin1.csv: is not text in utf-8"):
        load(con, "police", path)


def test_a_redelivery_replaces_the_earlier_delivery_of_its_slice_whole(con, tmp_path):
    header, rows = plain_rows(VALID_DELIVERY[("ambulance", "callouts")])
    first = load(con, "ambulance", write_rows(tmp_path / "amb.csv", header, rows))
    second = load(con, "ambulance", write_rows(tmp_path / "amb-corrected.csv", header, rows[:-1]))
    assert second.superseded == (first.load_id,)
    assert con.execute("select count(*), min(load_id) from raw.ambulance_callouts").fetchone() == (len(rows) - 1, second.load_id)
    assert con.execute("select status from audit.loads where load_id = ?", [first.load_id]).fetchone() == ("superseded",)


def test_a_late_record_in_the_next_months_file_does_not_replace_that_month(con, tmp_path):
    """May's file with one April call is a delivery for May: April's own delivery stays whole."""
    header, rows = plain_rows(VALID_DELIVERY[("ambulance", "callouts")])
    date_column = header.index("Call Date")
    april = [[*r[:date_column], "2024-04-" + r[date_column][-2:], *r[date_column + 1:]] for r in rows]
    for i, r in enumerate(april):
        r[0] = f"APRIL-{i}"
    load(con, "ambulance", write_rows(tmp_path / "april.csv", header, april))
    late = [*rows, [*april[0][:0], "LATE-1", *april[0][1:]]]
    may = load(con, "ambulance", write_rows(tmp_path / "may.csv", header, late))
    assert may.superseded == () and may.periods == ("2024-04", "2024-05")
    assert con.execute("select count(*) from raw.ambulance_callouts").fetchone() == (len(april) + len(late),)
