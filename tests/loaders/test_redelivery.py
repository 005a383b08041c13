"""Corrections stick: bytes once loaded are not loaded again unless asked, and an older delivery of a slice never
replaces a newer one by accident of file order. Driven through `hub ingest` as `hub run` drives it (the folder)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.loaders.deliveries import audit_problems, live_files, street_file
from warehouse.cli import main

SLICE = (date(2016, 12, 1), "Greater Manchester Police")
DAY = 24 * 3600


@pytest.fixture
def hub(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    return tmp_path / "hub" / "hub.duckdb"


def deliveries(tmp_path: Path) -> tuple[Path, Path]:
    """The partner's first delivery of December, in the incoming folder, and its correction three days later."""
    now = time.time()
    original = street_file(tmp_path / "incoming" / "police", "gmp-2016-12.csv", "2016-12", 100, delivered=now - 4 * DAY)
    corrected = street_file(tmp_path / "by-hand", "gmp-2016-12-v2.csv", "2016-12", 90, crime_type="Robbery",
                            delivered=now - DAY)
    return original, corrected


def audited(db: Path) -> list[tuple[str, str, str | None]]:
    """(file, status, message) of each attempt, in load order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select file_name, status, message from audit.loads order by load_id").fetchall()
    finally:
        con.close()


def raw_crime_types(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("select crime_type, count(*) from raw.police_street_crime group by 1").fetchall())
    finally:
        con.close()


def test_a_correction_ingested_by_hand_survives_the_next_ingest_of_the_incoming_folder(tmp_path, hub, capsys):
    original, corrected = deliveries(tmp_path)
    assert main(["ingest", str(original.parent.parent)]) == 0
    assert main(["ingest", "police", str(corrected)]) == 0
    capsys.readouterr()
    for _ in range(2):  # every later run finds the superseded file still in the folder
        assert main(["ingest", str(original.parent.parent)]) == 0
        assert capsys.readouterr().out.count("│ skipped") == 1
    assert live_files(hub) == {SLICE: corrected.name}
    assert raw_crime_types(hub) == {"Robbery": 90}
    assert [(name, status) for name, status, _ in audited(hub)] == [(original.name, "superseded"),
                                                                     (corrected.name, "loaded")]
    assert audit_problems(hub) == []


def test_an_older_delivery_met_after_its_correction_is_kept_out(tmp_path, hub):
    original, corrected = deliveries(tmp_path)
    assert main(["ingest", "police", str(corrected)]) == 0
    assert main(["ingest", str(original.parent.parent)]) == 0  # the original, never loaded, turns up in the folder
    assert live_files(hub) == {SLICE: corrected.name}
    assert raw_crime_types(hub) == {"Robbery": 90}
    (_, _, _), (name, status, message) = audited(hub)
    assert name == original.name and status == "superseded" and "before load 1" in message and "--reload" in message
    con = duckdb.connect(str(hub), read_only=True)
    try:  # checked and counted like any delivery, though none of its rows is live
        assert con.execute("select list(period_label), rows_read, rows_loaded from audit.loads "
                           "join audit.load_periods using (load_id) where load_id = 2 group by all").fetchone() == (
            ["2016-12"], 100, 100)
    finally:
        con.close()
    assert audit_problems(hub) == []


def test_files_named_newest_first_leave_the_newest_live(tmp_path, hub):
    original, corrected = deliveries(tmp_path)
    assert main(["ingest", "police", str(corrected), str(original)]) == 0
    assert live_files(hub) == {SLICE: corrected.name}
    assert raw_crime_types(hub) == {"Robbery": 90}


def test_reload_makes_a_file_live_again_and_is_audited(tmp_path, hub):
    original, corrected = deliveries(tmp_path)
    assert main(["ingest", "police", str(original), str(corrected)]) == 0
    assert main(["ingest", "--reload", "police", str(original)]) == 0
    assert live_files(hub) == {SLICE: original.name}
    assert raw_crime_types(hub) == {"Burglary": 100}
    (_, first, _), (_, corrected_status, _), (_, reloaded, message) = audited(hub)
    assert (first, corrected_status, reloaded) == ("superseded", "superseded", "loaded")
    assert message == "reloaded as asked (--reload): the same bytes as load 1"
    assert audit_problems(hub) == []


def test_status_shows_the_live_delivery_of_each_slice(tmp_path, hub, capsys):
    original, corrected = deliveries(tmp_path)
    november = street_file(tmp_path / "by-hand", "gmp-2016-11.csv", "2016-11", 5)
    assert main(["ingest", "police", str(original), str(corrected), str(november)]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "Live delivery per slice" in out
    live = out.split("Live delivery per slice")[1].splitlines()
    december = next(line for line in live if "2016-12" in line and "Greater" in line)
    assert corrected.name in december and original.name not in "\n".join(live)
    assert any("2016-11" in line and "Greater" in line and november.name in line for line in live)
