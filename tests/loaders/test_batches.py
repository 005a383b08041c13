"""Files loaded together in batches (loaders.engine.load_files) have the outcome each would have loaded alone: every
row numbered as its file has it, every reject named with its file and row, a refused file refused by name once the
files before it have landed, the same bytes loaded once."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

import loaders.engine
from loaders.contracts import Contract
from loaders.engine import load_files
from loaders.errors import LoaderError
from loaders.police_uk import POLICE_UK_STREET
from tests.loaders.deliveries import HEADER, audit_problems, street_file, street_row

MONTHS = [f"2016-{m:02d}" for m in range(1, 9)]


def lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").split("\r\n")


def write_lines(path: Path, text: list[str]) -> None:
    path.write_bytes("\r\n".join(text).encode("utf-8"))


def spoiled_files(folder: Path) -> tuple[list[Path], dict[tuple[str, int], str]]:
    """Eight months of street crime, 2,500 to 6,000 rows each, with faults at known rows of three of them; and the
    reject each fault must give, by (file, row)."""
    paths = [street_file(folder, f"gmp-{month}.csv", month, 2_500 + 500 * i) for i, month in enumerate(MONTHS)]
    faults = {(paths[1], 3): ("2016-02", "2016-13"), (paths[4], 1): (",Burglary,", ",,"),
              (paths[4], 4_500): ("-2.46", "west"), (paths[7], 6_000): ("-2.46", "west")}
    for (path, row), (old, new) in faults.items():
        text = lines(path)
        text[row] = text[row].replace(old, new, 1)
        write_lines(path, text)
    reasons = {(paths[1].name, 3): "Month '2016-13' is not a YYYY-MM month",
               (paths[4].name, 1): "Crime type is blank but required",
               (paths[4].name, 4_500): "Longitude 'west' is not a number",
               (paths[7].name, 6_000): "Longitude 'west' is not a number"}
    return paths, reasons


def loaded_state(db: Path) -> tuple[list, list, list]:
    """audit.loads, audit.rejects and raw.police_street_crime as (file, row, ...) tuples, in file and row order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (
            con.execute("select file_name, status, rows_read, rows_loaded, rows_rejected, slice_period_start "
                        "from audit.loads order by load_id").fetchall(),
            con.execute("select file_name, source_row, column_name, reason from audit.rejects "
                        "order by load_id, source_row").fetchall(),
            con.execute("select file_name, source_row, crime_ref, month, longitude from raw.police_street_crime "
                        "join audit.loads using (load_id) order by load_id, source_row").fetchall(),
        )
    finally:
        con.close()


def load(db: Path, paths: list[Path], contract: Contract = POLICE_UK_STREET) -> list:
    con = duckdb.connect(str(db))
    try:
        return list(load_files(con, contract, paths))
    finally:
        con.close()


def test_each_file_of_a_batch_keeps_its_own_row_numbers_and_rejects(tmp_path):
    paths, reasons = spoiled_files(tmp_path / "incoming")
    results = load(tmp_path / "hub.duckdb", paths)
    loads, rejects, raw = loaded_state(tmp_path / "hub.duckdb")
    assert [r.status for r in results] == ["loaded"] * len(paths)
    assert [(r.rows_read, r.rows_rejected) for r in results] == [
        (2_500, 0), (3_000, 1), (3_500, 0), (4_000, 0), (4_500, 2), (5_000, 0), (5_500, 0), (6_000, 1)]
    assert {(name, row): reason for name, row, _, reason in rejects} == reasons
    for path in paths:  # every row in its file's order, numbered as the file has it, rejected rows left out
        rows = [(row, crime_ref) for name, row, crime_ref, _, _ in raw if name == path.name]
        wanted = [(row, f"c{row - 1:06d}") for row in range(1, len(lines(path)) - 1)
                  if (path.name, row) not in reasons]
        assert rows == wanted, path.name
    assert sum(n for _, _, n, _, _, _ in loads) == len(raw) + len(rejects)
    assert audit_problems(tmp_path / "hub.duckdb") == []


def test_batches_of_any_size_load_the_same(tmp_path, monkeypatch):
    paths, _ = spoiled_files(tmp_path / "incoming")
    load(tmp_path / "together.duckdb", paths)
    monkeypatch.setattr(loaders.engine, "BATCH_BYTES", 1)  # every file a batch of its own
    load(tmp_path / "alone.duckdb", paths)
    together, alone = loaded_state(tmp_path / "together.duckdb"), loaded_state(tmp_path / "alone.duckdb")
    assert together == alone and len(together[2]) == 33_996


def test_a_refused_file_is_refused_by_name_once_the_files_before_it_have_landed(tmp_path):
    paths, _ = spoiled_files(tmp_path / "incoming")
    broken = paths[5]
    text = lines(broken)
    text[17] += ",an extra field"
    write_lines(broken, text)
    with pytest.raises(LoaderError) as refused:
        load(tmp_path / "hub.duckdb", paths)
    assert broken.name in str(refused.value) and "line 18" in str(refused.value)
    loads, _, raw = loaded_state(tmp_path / "hub.duckdb")
    assert [(name, status) for name, status, *_ in loads] == [
        *((p.name, "loaded") for p in paths[:5]), (broken.name, "failed")]
    assert {name for name, *_ in raw} == {p.name for p in paths[:5]}


def test_the_same_bytes_twice_in_one_call_are_loaded_once(tmp_path):
    first = street_file(tmp_path / "incoming", "gmp-2016-01.csv", "2016-01", 10)
    again = shutil.copy(first, tmp_path / "incoming" / "gmp-2016-01-copy.csv")
    other = street_file(tmp_path / "incoming", "gmp-2016-02.csv", "2016-02", 5)
    results = load(tmp_path / "hub.duckdb", [first, Path(again), other])
    assert [(r.file_name, r.status, r.load_id) for r in results] == [
        (first.name, "loaded", 1), ("gmp-2016-01-copy.csv", "skipped", 1), (other.name, "loaded", 2)]
    assert len(loaded_state(tmp_path / "hub.duckdb")[2]) == 15


def test_a_file_of_other_columns_is_read_in_a_batch_of_its_own(tmp_path):
    """A file without an optional column cannot share a read with the files that have it."""
    optional_context = replace(POLICE_UK_STREET, columns=tuple(
        replace(c, optional=True) if c.name == "context" else c for c in POLICE_UK_STREET.columns))
    full = street_file(tmp_path / "incoming", "gmp-2016-01.csv", "2016-01", 10)
    short = tmp_path / "incoming" / "gmp-2016-02.csv"
    short.write_text("\r\n".join([HEADER.removesuffix(",Context"),
                                  *(street_row("2016-02").removesuffix(",") for _ in range(3))]) + "\r\n",
                     encoding="utf-8")
    results = load(tmp_path / "hub.duckdb", [full, short], optional_context)
    assert [(r.status, r.rows_loaded) for r in results] == [("loaded", 10), ("loaded", 3)]


def test_a_key_repeated_in_a_later_file_of_a_batch_names_the_row_of_that_file(tmp_path):
    keyed = replace(POLICE_UK_STREET, natural_key=("crime_ref",))
    first = street_file(tmp_path / "incoming", "gmp-2016-01.csv", "2016-01", 10)
    second = street_file(tmp_path / "incoming", "gmp-2016-02.csv", "2016-02", 6)
    text = lines(second)
    text[5] = text[5].replace("c000004", "c000001", 1)  # row 5 repeats row 2's crime id; the first file has it too
    write_lines(second, text)
    results = load(tmp_path / "hub.duckdb", [first, second], keyed)
    assert [(r.rows_loaded, r.rows_rejected) for r in results] == [(10, 0), (5, 1)]
    assert loaded_state(tmp_path / "hub.duckdb")[1] == [
        (second.name, 5, "Crime ID", "repeats the key (Crime ID) of row 2")]


def test_a_correction_in_the_same_batch_replaces_the_file_before_it_and_an_older_one_after_it_is_kept_out(tmp_path):
    folder = tmp_path / "incoming"
    original = street_file(folder, "gmp-2016-01.csv", "2016-01", 10, delivered=1_000_000)
    correction = street_file(folder, "gmp-2016-01-corrected.csv", "2016-01", 8, delivered=2_000_000)
    stale = street_file(folder, "gmp-2016-01-stale.csv", "2016-01", 6, delivered=1_500_000)
    results = load(tmp_path / "hub.duckdb", [original, correction, stale])
    assert [(r.load_id, r.status, r.superseded) for r in results] == [(1, "loaded", ()), (2, "loaded", (1,)),
                                                                       (3, "superseded", ())]
    con = duckdb.connect(str(tmp_path / "hub.duckdb"), read_only=True)
    try:
        audited = con.execute("select load_id, status, superseded_by, message from audit.loads order by load_id")
        assert audited.fetchall() == [
            (1, "superseded", 2, "replaced by load 2, a later delivery of the same slice"),
            (2, "loaded", None, None),
            (3, "superseded", 2, "kept out: delivered 1970-01-18 08:40:00, before load 2 of the same slice "
                                    "(1970-01-24 03:33:20), which stays live; hub ingest --reload makes this file live")]
    finally:
        con.close()
    assert len(loaded_state(tmp_path / "hub.duckdb")[2]) == 8
    assert audit_problems(tmp_path / "hub.duckdb") == []
