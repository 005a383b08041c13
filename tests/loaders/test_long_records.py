"""No record is ever silently absent: a line too long for its contract is refused by number, wherever it is, and the
rows DuckDB reads are checked against the loader's own count of the file's records."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from pathlib import Path

import duckdb
import pytest

from loaders.engine import load_file
from loaders.errors import LoaderError
from loaders.police_uk import POLICE_UK_STREET
from loaders.scan import FileScan, scan
from tests.loaders.deliveries import HEADER, street_row

MB = 1 << 20


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "hub.duckdb"))
    yield connection
    connection.close()


def with_long_location(tmp_path: Path, position: str, megabytes: int) -> tuple[Path, int]:
    """Three records (one if 'only'), the one at `position` with a Location of that many megabytes; and its line."""
    rows = [street_row("2016-12") for _ in range(1 if position == "only" else 3)]
    index = {"first": 0, "middle": 1, "last": len(rows) - 1, "only": 0}[position]
    rows[index] = street_row("2016-12", location="x" * (megabytes * MB))
    path = tmp_path / f"{position}-{megabytes}mb.csv"
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    return path, index + 2


def audited(con) -> list[tuple[str, int, int]]:
    return con.execute("select status, rows_read, rows_loaded from audit.loads").fetchall()


@pytest.mark.parametrize("position, megabytes", [
    ("middle", 3), ("last", 24), ("last", 32), ("first", 50), ("middle", 50), ("last", 50), ("only", 50),
])
def test_a_line_too_long_for_its_contract_is_refused_naming_it(con, tmp_path, position, megabytes):
    path, line = with_long_location(tmp_path, position, megabytes)
    with pytest.raises(LoaderError) as refused:
        load_file(con, POLICE_UK_STREET, path)
    assert str(refused.value).startswith(f"{path.name}, line {line}: is {megabytes}.0 MB long, longer than any "
                                         "street_crime record can be (1 MB at most)")
    assert audited(con) == [("failed", 0, 0)]
    assert con.execute("select count(*) from raw.police_street_crime").fetchone() == (0,)


def test_a_record_the_reader_loses_is_caught_by_the_count(con, tmp_path):
    """With the limit raised past DuckDB's, a 40 MB last record is dropped by the reader without an error: the
    loader's own count of records refuses the file rather than load it short."""
    roomy = dataclasses.replace(POLICE_UK_STREET, max_line_bytes=64 * MB)
    path, _ = with_long_location(tmp_path, "last", 40)
    with pytest.raises(LoaderError, match="holds 3 records after its header but only 2 could be read"):
        load_file(con, roomy, path)
    assert audited(con) == [("failed", 0, 0)]


def test_records_across_lines_and_blank_lines_are_counted_as_records(con, tmp_path):
    rows = [street_row("2016-12", location='"On or near\nHigh Street"'), "", street_row("2016-12"), ""]
    path = tmp_path / "multiline.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = load_file(con, POLICE_UK_STREET, path)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == ("loaded", 2, 2, 0)
    assert con.execute("select location from raw.police_street_crime order by source_row").fetchall() == [
        ("On or near\nHigh Street",), ("On or near X",)]


@pytest.mark.parametrize("limit", [3, 7, 64, 1 << 20])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_the_byte_scan_agrees_with_a_plain_reading(tmp_path, limit, encoding):
    """Chunks as small as the limit, so lines and multi-byte characters fall across their edges."""
    chance = random.Random(limit)
    text = "".join(chance.choice(["a", "é", "\n", "\r\n", "bb", "€"]) * chance.randint(1, 12) for _ in range(400))
    data = text.encode(encoding)
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    pieces = data.split(b"\n")
    lines = pieces if pieces[-1] else pieces[:-1]
    long = next(((number, len(line)) for number, line in enumerate(lines, start=1) if len(line) > limit), None)
    assert scan(path, limit) == FileScan(hashlib.sha256(data).hexdigest(), encoding == "utf-8", len(lines), long)
