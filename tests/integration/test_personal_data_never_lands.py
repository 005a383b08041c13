"""Identifiers planted in every feed that can carry them never appear in the database, the published outputs, the
reports or the logs: they are pseudonymised, geocoded or withheld at the door, even in a row that is refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from loaders.contracts import WITHHELD
from loaders.pseudonyms import create_key_file
from loaders.registry import all_contracts
from tests.helpers import make_hub
from warehouse.pack import write_pack
from warehouse.paths import PROJECT_DIR

REAL = PROJECT_DIR.parent / "shared" / "data" / "real"
SAMPLES = PROJECT_DIR / "docs" / "samples"
DIRECTORY = REAL / "geography" / "trafford_postcodes_to_lsoa_ward.csv"
# Postcodes: one the directory knows (so it is geocoded) and one it does not (so only its outward code may remain).
KNOWN_POSTCODE, UNKNOWN_POSTCODE = "M32 0XR", "M99 7QZ"


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def _planted(header: list[str], rows: list[list[str]], values: dict[str, list[str]]) -> str:
    """The rows with each named column set to its planted values in turn; the last row also has a bad date."""
    out = [r[:] for r in rows[:3]]
    for column, planted in values.items():
        for row, value in zip(out, planted * 3):
            row[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *out])
    return buffer.getvalue()


PLANTS = {
    ("police", "recorded_crime", SAMPLES / "police__recorded_crime.csv"): {
        "Victim Reference": ["PLANTVICTIMALPHA", "PLANTVICTIMBRAVO"],
        "Location Reference": ["PLANTLOCATIONCHARLIE"],
        "MO Text": ["PLANTMOTEXT kicked the door of 12 Acacia Avenue"],
    },
    ("fire", "incidents", REAL / "fire" / "lfb_incident_records_2009_head20.csv"): {
        "UPRN": ["777000111222.0"],
        "Postcode_full": [KNOWN_POSTCODE, UNKNOWN_POSTCODE],
    },
    ("ambulance", "callouts", SAMPLES / "ambulance__callouts.csv"): {
        "Patient Reference": ["PLANTPATIENTDELTA"],
        "Postcode": [UNKNOWN_POSTCODE, KNOWN_POSTCODE],
        "Location Description": ["PLANTLOCATIONTEXT outside 4 Privet Drive"],
    },
    ("probation", "caseload", SAMPLES / "probation__caseload.csv"): {
        "Offender Reference": ["PLANTOFFENDERECHO"],
        "Home Postcode": [KNOWN_POSTCODE, UNKNOWN_POSTCODE],
    },
    ("transport", "tfgm_incidents", SAMPLES / "transport__tfgm_incidents.csv"): {
        "Description": ["PLANTDESCRIPTION passenger named Jo Bloggs"],
    },
}
PERIOD_COLUMN = {"recorded_crime": "Recorded Date", "incidents": "DateOfCall", "callouts": "Call Date",
                 "caseload": "Snapshot Month", "tfgm_incidents": "Incident Date"}
# The address fragments are whole street names: a single word such as "Privet" is also in a real ward's name
# (Brockhurst & Privett, Gosport) in the national lookup.
IDENTIFIERS = ["PLANTVICTIM", "PLANTLOCATION", "PLANTMOTEXT", "777000111222", "PLANTPATIENT", "PLANTOFFENDER",
               "PLANTDESCRIPTION", "Acacia Avenue", "Privet Drive", "Bloggs", UNKNOWN_POSTCODE,
               UNKNOWN_POSTCODE.replace(" ", "")]
# A directory postcode is public reference data: it may stand in the directory's own tables, nowhere else.
DIRECTORY_ONLY = [KNOWN_POSTCODE, KNOWN_POSTCODE.replace(" ", "")]


def test_every_feed_that_can_carry_personal_data_is_planted():
    personal = {(c.partner, c.feed) for c in all_contracts() if any(col.personal for col in c.columns)}
    assert personal - {("reference", "postcode_directory")} == {(p, f) for p, f, _ in PLANTS}


@pytest.fixture(scope="module")
def hub(tmp_path_factory, hub_template):
    home = tmp_path_factory.mktemp("planted")
    key_file = home / "pseudonym.key"
    create_key_file(key_file)
    from dataclasses import replace

    hub = replace(make_hub(home, hub_template), key_file=key_file)
    hub.ingest("reference", DIRECTORY)
    for (partner, feed, path), values in PLANTS.items():
        header, rows = _rows(path)
        text = _planted(header, rows, values)
        planted = home / f"{feed}.csv"
        planted.write_text(text, encoding="utf-8")
        refused_row = text.splitlines()[-1].replace(rows[2][header.index(PERIOD_COLUMN[feed])], "not-a-date", 1)
        refusing = home / f"{feed}-with-a-refused-row.csv"
        refusing.write_text(text.splitlines()[0] + "\n" + refused_row + "\n", encoding="utf-8")
        results = hub.ingest(partner, planted, refusing)
        assert results[1].rows_rejected == 1, feed
    hub.build()
    hub.check()
    hub.publish(open_data=True)
    write_pack(hub.paths, "Trafford", "month")  # the open data and the pack are published files too: searched below
    return hub


def _varchar_hits(database: Path, needles: list[str], skip_tables: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(table.column, needle) for every text column of every table and view holding a needle, case-insensitive."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for schema, table, column in con.execute("""
            select table_schema, table_name, column_name from information_schema.columns
            where data_type = 'VARCHAR' and table_schema not in ('information_schema', 'pg_catalog')
        """).fetchall():
            if not any(skip in table for skip in skip_tables):
                columns.setdefault(f'"{schema}"."{table}"', []).append(column)
        hits = []
        for table, names in columns.items():
            pairs = [(column, needle) for column in names for needle in needles]
            counts = con.execute(f"select {', '.join(f'count(*) filter (strpos(upper({chr(34)}{c}{chr(34)}), ?) > 0)' for c, _ in pairs)} "
                                 f"from {table}", [n.upper() for _, n in pairs]).fetchone()
            hits += [(f"{table}.{c}", n) for (c, n), found in zip(pairs, counts) if found]
        return hits
    finally:
        con.close()


def _file_hits(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".log", ".txt", ".csv", ".sql"}:
            text = path.read_text(encoding="utf-8", errors="replace").upper()
            hits += [(str(path), n) for n in needles if n.upper() in text]
    return hits


def test_the_planted_rows_are_in_the_warehouse_so_the_search_below_means_something(hub):
    con = duckdb.connect(str(hub.paths.published_db), read_only=True)
    try:
        counts = dict(con.execute("select feed, count(*) from marts.fct_incidents group by 1").fetchall())
        with_people = con.execute("select count(*) from marts.fct_incidents where person_key is not null").fetchone()[0]
    finally:
        con.close()
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)  # staging and rejects are never published
    try:
        placed = con.execute("select count(*) from staging.stg_probation__caseload where home_lsoa_code is not null").fetchone()[0]
        withheld = con.execute(f"select count(*) from audit.rejects where record like '%{WITHHELD}%'").fetchone()[0]
    finally:
        con.close()
    assert {"recorded_crime", "incidents", "callouts", "tfgm_incidents"} <= set(counts)
    assert with_people > 0 and placed > 0 and withheld >= len(PLANTS)
    assert ('"marts"."fct_incidents".source_ref', "SAMPLE-CR-24") in _varchar_hits(hub.paths.published_db, ["SAMPLE-CR-24"])


def test_no_identifier_reaches_any_table_of_the_working_or_published_database(hub):
    for database in (hub.paths.working_db, hub.paths.published_db):
        assert _varchar_hits(database, IDENTIFIERS) == [], database
        assert _varchar_hits(database, DIRECTORY_ONLY, skip_tables=("postcode",)) == [], database


def test_no_identifier_reaches_the_parquet_marts(hub):
    con = duckdb.connect()
    try:
        for parquet in sorted(hub.paths.parquet_dir.glob("*.parquet")):
            columns = [c for c, kind, *_ in con.execute(f"describe select * from read_parquet('{parquet}')").fetchall()
                       if kind == "VARCHAR"]
            for column in columns:
                for needle in IDENTIFIERS + DIRECTORY_ONLY:
                    (found,) = con.execute(f"select count(*) from read_parquet('{parquet}') "
                                           f'where strpos(upper("{column}"), upper(?)) > 0', [needle]).fetchone()
                    assert found == 0, (parquet.name, column, needle)
    finally:
        con.close()


def test_no_identifier_reaches_reports_catalogue_or_logs(hub):
    assert _file_hits(hub.paths.published_dir, IDENTIFIERS + DIRECTORY_ONLY) == []
    assert _file_hits(hub.paths.reports, IDENTIFIERS + DIRECTORY_ONLY) == []
    assert _file_hits(hub.paths.dbt_dir, IDENTIFIERS + DIRECTORY_ONLY) == []
