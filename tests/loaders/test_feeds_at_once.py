"""Partners' feeds loaded at the same time, each on a connection of its own (loaders.ingest.ingest_deliveries): every
file has the outcome it would have had with the feeds loaded one at a time, the loads keep distinct ids with none
skipped, and a refusal in one feed stops the others as a refusal stops one feed's later files."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest

import loaders.engine
import loaders.ingest
from loaders.errors import LoaderError
from loaders.ingest import ingest_deliveries
from loaders.fire import FIRE_INCIDENTS
from loaders.police_uk import BTP_STREET, POLICE_UK_STREET
from tests.loaders.deliveries import audit_problems, street_file
from tests.loaders.test_partner_feeds import VALID_DELIVERY

MONTHS = [f"2016-{m:02d}" for m in range(1, 7)]
FEEDS = (POLICE_UK_STREET, BTP_STREET, FIRE_INCIDENTS)


def deliveries(folder: Path) -> dict[str, list[Path]]:
    """Six months of GMP and of BTP street crime, each feed with a correction of its first month delivered last, and
    the real fire extract: three feeds, two of them large enough to be loading at the same time."""
    def months(partner: str, rows: int) -> list[Path]:
        files = [street_file(folder / partner, f"{partner}-{month}.csv", month, rows + 100 * i,
                             delivered=1_000_000 + i) for i, month in enumerate(MONTHS)]
        return [*files, street_file(folder / partner, f"{partner}-{MONTHS[0]}-corrected.csv", MONTHS[0], rows // 2,
                                    delivered=2_000_000)]
    return {"police": months("police", 6_000), "transport": months("transport", 5_000),
            "fire": [VALID_DELIVERY[("fire", "incidents")]]}


def outcome(db: Path) -> tuple[list, list, dict]:
    """Each file's audit row (by name, its successor by name), the loads' ids, and each raw table's rows by file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        audited = con.execute(
            "select loads.feed, loads.file_name, loads.status, loads.rows_read, loads.rows_loaded, "
            "loads.rows_rejected, loads.slice_period_start, successor.file_name from audit.loads as loads "
            "left join audit.loads as successor on successor.load_id = loads.superseded_by "
            "order by loads.feed, loads.file_name").fetchall()
        ids = [load_id for (load_id,) in con.execute("select load_id from audit.loads order by load_id").fetchall()]
        raw = {table: con.execute(f"select file_name, count(*), sum(source_row), count(distinct source_row) "
                                  f"from raw.{table} join audit.loads using (load_id) group by 1 order by 1").fetchall()
               for table in (c.table for c in FEEDS)}
        return audited, ids, raw
    finally:
        con.close()


def feed_spans(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {feed: (start, end) for feed, start, end in con.execute(
            "select feed, min(started_at), max(finished_at) from audit.loads group by feed").fetchall()}
    finally:
        con.close()


def test_feeds_loaded_at_once_land_as_they_would_one_at_a_time(tmp_path, monkeypatch):
    delivered = deliveries(tmp_path / "incoming")
    together = ingest_deliveries(tmp_path / "together.duckdb", delivered)
    monkeypatch.setattr(loaders.ingest, "FEEDS_AT_ONCE", 1)
    alone = ingest_deliveries(tmp_path / "alone.duckdb", delivered)

    files = [path.name for partner in delivered.values() for path in partner]
    assert [r.file_name for r in together] == [r.file_name for r in alone] == files  # in the order given
    audited, ids, raw = outcome(tmp_path / "together.duckdb")
    assert (audited, raw) == outcome(tmp_path / "alone.duckdb")[::2]
    assert ids == list(range(1, len(files) + 1))
    assert [(name, status, successor) for feed, name, status, *_, successor in audited if name.endswith("01.csv")] == [
        ("transport-2016-01.csv", "superseded", "transport-2016-01-corrected.csv"),
        ("police-2016-01.csv", "superseded", "police-2016-01-corrected.csv")]
    assert all(read == loaded + rejected for _, _, _, read, loaded, rejected, *_ in audited)
    assert sum(rows for _, rows, _, _ in raw[POLICE_UK_STREET.table]) == 5 * 6_000 + 100 * 15 + 3_000
    assert audit_problems(tmp_path / "together.duckdb", FEEDS) == []
    street, btp = (feed_spans(tmp_path / "together.duckdb")[feed] for feed in ("street_crime", BTP_STREET.feed))
    assert street[0] < btp[1] and btp[0] < street[1], "the two street feeds were not loading at the same time"


def test_a_refusal_in_one_feed_stops_the_others_after_their_batch_and_begins_no_more(tmp_path, monkeypatch):
    delivered = deliveries(tmp_path / "incoming")
    broken = delivered["transport"][0]
    lines = broken.read_bytes().decode("utf-8").split("\r\n")
    lines[17] += ",an extra field"
    broken.write_bytes("\r\n".join(lines).encode("utf-8"))
    # GMP's feed (the largest, so begun first) waits until BTP's has been refused, then loads in batches of two files
    btp_refused = threading.Event()
    load_files = loaders.ingest.load_files

    def gmp_after_btp(cursor, contract, paths, *args, **kwargs):
        if contract is BTP_STREET:
            try:
                yield from load_files(cursor, contract, paths, *args, **kwargs)
            finally:
                btp_refused.set()
        else:
            assert btp_refused.wait(60)
            yield from load_files(cursor, contract, paths, *args, **kwargs)

    monkeypatch.setattr(loaders.ingest, "load_files", gmp_after_btp)
    monkeypatch.setattr(loaders.engine, "BATCH_BYTES", 2 * delivered["police"][-2].stat().st_size)
    with pytest.raises(LoaderError) as refused:
        ingest_deliveries(tmp_path / "hub.duckdb", delivered)
    assert broken.name in str(refused.value) and "line 18" in str(refused.value)
    audited, ids, raw = outcome(tmp_path / "hub.duckdb")
    assert [(feed, name, status) for feed, name, status, *_ in audited] == [
        ("btp_street_crime", broken.name, "failed"),
        ("street_crime", "police-2016-01.csv", "loaded"), ("street_crime", "police-2016-02.csv", "loaded")]
    assert raw[FIRE_INCIDENTS.table] == [] and raw[BTP_STREET.table] == []
    assert ids == [1, 2, 3]
    assert audit_problems(tmp_path / "hub.duckdb", FEEDS) == []

