"""Refusals say what is wrong without quoting personal data, every refused attempt is in audit.loads, and no path
or contract text is spliced into SQL (an apostrophe anywhere loads like any other character)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders.contracts import Column, Contract
from loaders.engine import load_file
from tests.loaders.deliveries import street_file
from warehouse.cli import main
from warehouse.paths import PROJECT_DIR

PROBATION_SAMPLE = PROJECT_DIR / "docs" / "samples" / "probation__caseload.csv"
PERSON = "PX-TESTPERSON-0001"
POSTCODE = "M16 0RA"


def audited(db: Path) -> list[tuple[str, str, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select partner, feed, file_name, status, message from audit.loads").fetchall()
    finally:
        con.close()


def test_a_file_without_its_header_is_refused_without_quoting_its_first_record(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    _, first, *rest = PROBATION_SAMPLE.read_text(encoding="utf-8").splitlines()
    headless = tmp_path / "caseload-2024-05.csv"
    record = first.replace("SAMPLE-OFF-0001", PERSON).replace("M16 0AX", POSTCODE)
    headless.write_text("\r\n".join([record, *rest]) + "\r\n", encoding="utf-8")
    assert main(["ingest", "probation", str(headless)]) == 1
    out = capsys.readouterr().out
    assert "caseload-2024-05.csv, line 1" in out and "not a header row" in out
    [(partner, feed, name, status, message)] = audited(tmp_path / "hub" / "hub.duckdb")
    assert (partner, feed, name, status) == ("probation", "unrecognised", headless.name, "failed")
    assert "not a header row" in message
    for said in (out, message):
        assert PERSON not in said and POSTCODE not in said and "Community Order" not in said


def test_a_folder_with_a_file_of_no_known_format_loads_nothing_from_any_partner(tmp_path, monkeypatch, capsys):
    """Every partner's files are recognised before any is loaded, as one partner's are: a run stopped for a file of
    no known format is not left half done, with some partners loaded and not others."""
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    incoming = tmp_path / "incoming"
    street_file(incoming / "police", "gmp-2016-12.csv", "2016-12", 3)
    (incoming / "probation").mkdir()
    headless = incoming / "probation" / "caseload-2024-05.csv"
    headless.write_text("\r\n".join(PROBATION_SAMPLE.read_text(encoding="utf-8").splitlines()[1:]) + "\r\n",
                        encoding="utf-8")
    assert main(["ingest", str(incoming)]) == 1
    assert "caseload-2024-05.csv, line 1" in capsys.readouterr().out
    loads = audited(tmp_path / "hub" / "hub.duckdb")
    assert [(partner, feed, name, status) for partner, feed, name, status, _ in loads] == [
        ("probation", "unrecognised", headless.name, "failed")]


def test_a_utf16_file_is_called_utf16_and_audited(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    street = street_file(tmp_path, "gmp.csv", "2016-12", 3)
    for encoding in ("utf-16", "utf-16-le"):  # as Excel saves it, with its byte-order mark, and without
        utf16 = tmp_path / f"gmp-{encoding}.csv"
        utf16.write_bytes(street.read_text(encoding="utf-8").encode(encoding))
        assert main(["ingest", "police", str(utf16)]) == 1
        assert "is UTF-16 text" in capsys.readouterr().out
    assert [(feed, status) for _, feed, _, status, _ in audited(tmp_path / "hub" / "hub.duckdb")] == [
        ("unrecognised", "failed")] * 2


def test_an_apostrophe_in_the_hub_home_and_the_file_path_loads(tmp_path, monkeypatch):
    home = tmp_path / "o'brien's hub"
    monkeypatch.setenv("HUB_HOME", str(home))
    street = street_file(tmp_path / "st john's", "gmp's december.csv", "2016-12", 3)
    assert main(["ingest", "police", str(street)]) == 0
    assert [status for *_, status, _ in audited(home / "hub.duckdb")] == ["loaded"]


def test_contract_text_with_apostrophes_is_quoted_not_spliced(tmp_path):
    teams = Contract(
        partner="police", feed="officers' teams", table="officer_teams", period="month",
        columns=(Column("Month", "month", "month", required=True),
                 Column("Officer's Team", "team", required=True, values=("Children's Services", "Adults"))),
    )
    path = tmp_path / "teams.csv"
    path.write_text("Month,Officer's Team\n2016-12,Children's Services\n2016-12,O'Brien's\n", encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "hub.duckdb"))
    try:
        result = load_file(con, teams, path)
        assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
        assert con.execute("select team from raw.officer_teams").fetchall() == [("Children's Services",)]
        assert con.execute("select column_name, reason from audit.rejects").fetchall() == [
            ("Officer's Team", "Officer's Team 'O'Brien's' is not a known code")]
    finally:
        con.close()


def test_a_real_header_with_a_wrong_name_still_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    header, *rows = PROBATION_SAMPLE.read_text(encoding="utf-8").splitlines()
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("\r\n".join([header.replace("Tier", "Tier Level"), *rows]) + "\r\n", encoding="utf-8")
    assert main(["ingest", "probation", str(renamed)]) == 1
    [(*_, message)] = audited(tmp_path / "hub" / "hub.duckdb")
    assert "missing column(s) 'Tier'; unexpected column(s) 'Tier Level' (field 5)" in message


def test_a_malformed_record_is_named_by_line_and_fault_without_its_content(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    header, first, second, *rest = PROBATION_SAMPLE.read_text(encoding="utf-8").splitlines()
    surplus = second.replace("SAMPLE-OFF-0002", PERSON) + "," + POSTCODE
    unclosed = second.replace("SAMPLE-OFF-0002", f'"{PERSON}')
    for name, broken in (("surplus.csv", surplus), ("unclosed.csv", unclosed)):
        path = tmp_path / name
        path.write_text("\r\n".join([header, first, broken, *rest]) + "\r\n", encoding="utf-8")
        assert main(["ingest", "probation", str(path)]) == 1
    # (the hub's postcode directory is loaded before the first file with postcodes: those are reference loads)
    messages = [message for partner, *_, message in audited(tmp_path / "hub" / "hub.duckdb") if partner == "probation"]
    assert [m.split(": could not be read as CSV: ")[0] for m in messages] == ["surplus.csv, line 3", "unclosed.csv, line 3"]
    assert "the record has 12 fields where the header has 11" in messages[0]
    assert "a quoted field is never closed" in messages[1]
    assert not any(PERSON in m or POSTCODE in m for m in messages)
