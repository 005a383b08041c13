"""The police.uk street-level loader, on the real extracts as published and on the ways a delivery goes wrong."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from loaders.engine import load_file
from loaders.errors import LoaderError
from loaders.police_uk import POLICE_UK_STREET
from loaders.registry import detect_contract
from tests.helpers import csv_rows

HEADER = ",".join(POLICE_UK_STREET.headers)
GOOD_ROW = "abc123,2016-12,Greater Manchester Police,Greater Manchester Police,-2.46,53.62,On or near X,E01004768,Bolton 001A,Burglary,Under investigation,"
ASB_ROW = ",2016-12,Greater Manchester Police,Greater Manchester Police,-2.46,53.62,On or near X,E01004768,Bolton 001A,Anti-social behaviour,,"


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "hub.duckdb"))
    yield connection
    connection.close()


def load(con, path: Path):
    return load_file(con, detect_contract("police", path), path)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def raw_count(con) -> int:
    return con.execute("select count(*) from raw.police_street_crime").fetchone()[0]


def test_every_real_file_loads_every_row_in_file_order(con, real_police_files):
    for path in real_police_files:
        rows = csv_rows(path)
        result = load(con, path)
        assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == ("loaded", len(rows), len(rows), 0)
        loaded = con.execute(
            "select source_row, crime_ref, strftime(month, '%Y-%m'), lsoa_code, crime_type, longitude "
            "from raw.police_street_crime where load_id = ? order by source_row", [result.load_id]
        ).fetchall()
        expected = [
            (i, r["Crime ID"] or None, r["Month"], r["LSOA code"] or None, r["Crime type"],
             float(r["Longitude"]) if r["Longitude"] else None)
            for i, r in enumerate(rows, start=1)
        ]
        assert loaded == expected, path.name


def test_asb_rows_have_no_crime_id_and_no_location_rows_have_no_place(con, real_dir):
    load(con, real_dir / "police_street" / "2016-11-avon-and-somerset-street.csv")
    asb_with_id, no_location_with_place = con.execute("""
        select count(*) filter (where crime_type = 'Anti-social behaviour' and crime_ref is not null),
               count(*) filter (where location = 'No Location' and (longitude is not null or lsoa_code is not null))
        from raw.police_street_crime
    """).fetchone()
    assert (asb_with_id, no_location_with_place) == (0, 0)
    (no_location,) = con.execute("select count(*) from raw.police_street_crime where location = 'No Location'").fetchone()
    assert no_location == 2046


def test_the_same_file_twice_changes_nothing(con, real_dir):
    path = real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv"
    first = load(con, path)
    snapshot = con.execute("select count(*), (select count(*) from audit.loads) from raw.police_street_crime").fetchone()
    second = load(con, path)
    assert second.status == "skipped" and second.load_id == first.load_id
    assert con.execute("select count(*), (select count(*) from audit.loads) from raw.police_street_crime").fetchone() == snapshot


def test_a_corrected_redelivery_replaces_that_force_month(con, real_dir, tmp_path):
    original = real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv"
    first = load(con, original)
    lines = original.read_text(encoding="utf-8").splitlines()
    corrected = write(tmp_path, "gmp-2016-12-corrected.csv", "\r\n".join(lines[:-10]).replace("Burglary", "Robbery", 1))
    second = load(con, corrected)
    assert second.superseded == (first.load_id,)
    assert raw_count(con) == len(lines) - 1 - 10
    assert con.execute("select distinct load_id from raw.police_street_crime").fetchall() == [(second.load_id,)]
    assert con.execute("select status, superseded_by from audit.loads where load_id = ?", [first.load_id]).fetchone() == (
        "superseded", second.load_id)


def test_a_redelivery_of_one_force_leaves_other_forces_months_alone(con, real_police_files, tmp_path):
    for path in real_police_files:
        load(con, path)
    before = raw_count(con)
    gmp = next(p for p in real_police_files if "greater-manchester" in p.name)
    redelivered = write(tmp_path, "gmp-again.csv", gmp.read_text(encoding="utf-8") + "\r\n" + GOOD_ROW)
    load(con, redelivered)
    assert raw_count(con) == before + 1


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", "", "is empty"),
    ("header-only.csv", HEADER + "\n", "no data rows"),
    ("missing-column.csv", HEADER.replace(",Crime type", "") + "\n" + GOOD_ROW.replace(",Burglary", ""), "missing column(s) 'Crime type'"),
    ("renamed-column.csv", HEADER.replace("LSOA code", "LSOA") + "\n" + GOOD_ROW, "missing column(s) 'LSOA code'; unexpected column(s) 'LSOA'"),
    ("semicolons.csv", HEADER.replace(",", ";") + "\n" + GOOD_ROW.replace(",", ";"), "delimited by something other than commas"),
    ("extra-field.csv", HEADER + "\n" + GOOD_ROW + "\n" + GOOD_ROW + ",surplus\n", "could not be read as CSV"),
])
def test_a_broken_file_is_refused_whole_with_a_message_naming_it(con, real_dir, tmp_path, name, content, message):
    load(con, real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv")
    before = raw_count(con)
    path = write(tmp_path, name, content)
    with pytest.raises(LoaderError) as refused:
        load(con, path)
    assert str(refused.value).startswith(name)
    assert message in str(refused.value)
    assert raw_count(con) == before


@pytest.mark.parametrize("garbage, message", [
    (bytes(range(256)) * 4, "not a text CSV file"),
    (bytes(range(128, 256)) * 4, "not UTF-8 or CP1252 text"),
])
def test_garbage_bytes_are_refused_by_name(con, tmp_path, garbage, message):
    path = tmp_path / "photo.jpg.csv"
    path.write_bytes(garbage)
    with pytest.raises(LoaderError, match=f"photo.jpg.csv, line 1: .*{message}"):
        load(con, path)


def test_a_file_that_fails_after_its_header_is_audited_as_failed(con, tmp_path):
    path = write(tmp_path, "header-only.csv", HEADER + "\n")
    with pytest.raises(LoaderError):
        load(con, path)
    assert con.execute("select file_name, status, rows_loaded from audit.loads").fetchall() == [("header-only.csv", "failed", 0)]
    assert raw_count(con) == 0


def test_bad_values_are_quarantined_with_row_column_reason_and_record(con, tmp_path):
    rows = [
        GOOD_ROW,
        GOOD_ROW.replace("2016-12", "2016-13"),
        GOOD_ROW.replace(",Burglary,", ",,"),
        GOOD_ROW.replace("-2.46", "west"),
        GOOD_ROW.replace("53.62", ""),
        ASB_ROW,
        GOOD_ROW.replace("2016-12", "2016-13").replace(",Burglary,", ",,"),  # two faults: one row, two rejects
    ]
    path = write(tmp_path, "mixed.csv", HEADER + "\r\n" + "\r\n".join(rows))
    result = load(con, path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 2, 5)
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    rejects = con.execute("select source_row, column_name, reason, record from audit.rejects order by source_row, column_name").fetchall()
    assert [(row, column, reason) for row, column, reason, _ in rejects] == [
        (2, "Month", "Month '2016-13' is not a YYYY-MM month"),
        (3, "Crime type", "Crime type is blank but required"),
        (4, "Longitude", "Longitude 'west' is not a number"),
        (5, "Longitude/Latitude", "only one of Longitude and Latitude is given"),
        (7, "Crime type", "Crime type is blank but required"),
        (7, "Month", "Month '2016-13' is not a YYYY-MM month"),
    ]
    assert json.loads(rejects[0][3])["Month"] == "2016-13"
    assert json.loads(rejects[0][3])["Crime ID"] == "abc123"
    assert con.execute("select source_row from raw.police_street_crime order by 1").fetchall() == [(1,), (6,)]


def test_fields_are_stored_without_their_surrounding_spaces_and_spaces_alone_are_blank(con, tmp_path):
    padded = (" abc123 ,  2016-12,Greater Manchester Police ,Greater Manchester Police, -2.46 ,53.62  ,On or near X,"
              "E01004768,Bolton 001A,  Burglary, Under investigation,   ")
    rows = [padded, padded.replace("  Burglary", "    "), padded.replace(" -2.46 ", " west ")]
    result = load(con, write(tmp_path, "padded.csv", HEADER + "\r\n" + "\r\n".join(rows)))
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 1, 2)
    assert con.execute(
        "select crime_ref, month, reported_by, longitude, latitude, crime_type, last_outcome_category, context "
        "from raw.police_street_crime"
    ).fetchall() == [("abc123", date(2016, 12, 1), "Greater Manchester Police", -2.46, 53.62, "Burglary",
                      "Under investigation", None)]
    assert con.execute("select source_row, reason from audit.rejects order by 1").fetchall() == [
        (2, "Crime type is blank but required"), (3, "Longitude 'west' is not a number")]


def test_a_utf8_bom_and_lf_line_endings_load_like_the_original(con, real_dir, tmp_path):
    original = real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv"
    text = original.read_text(encoding="utf-8").replace("\r\n", "\n")
    variant = tmp_path / "bom-lf.csv"
    variant.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = load(con, variant)
    assert (result.rows_read, result.rows_rejected) == (len(csv_rows(original)), 0)


def test_an_unknown_partner_is_named():
    from loaders.registry import UnknownPartnerError

    with pytest.raises(UnknownPartnerError, match="'polce'.*police"):
        detect_contract("polce", Path("any.csv"))
