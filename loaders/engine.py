"""One engine for every contract: read with DuckDB, quarantine bad rows, load the rest, audit it, in one transaction
per batch of files, each file with the outcome it would have had alone.

Rows read = rows loaded + rows rejected, always. A file that cannot be read as its contract says is refused whole
(LoaderError), and audited, and nothing of it lands. Bytes once loaded are never loaded again, even after a later
delivery superseded them, unless a reload is asked for. A new delivery of a slice already held (e.g. the same force
and month) replaces that slice, unless the live delivery was delivered after it (file times), so an older file met
late never undoes a correction: it is kept out, as superseded. Personal data is transformed here, at the door
(see loaders.contracts.PERSONAL): no clear identifier, postcode or withheld field reaches any table, including
audit.rejects, whose copy of a refused row shows such fields as '[withheld]'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import astuple, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import duckdb

from loaders.audit import ensure_audit_schema
from loaders.contracts import MAX_LINE_BYTES, PERIOD_LABELS, PERIOD_MONTH, WITHHELD, Column, Contract
from loaders.database import sql_literal
from loaders.encoding import utf8_copy
from loaders.errors import LoaderError
from loaders.geojson import features, staged_features_sql
from loaders.load_ids import LoadIds
from loaders.placement import PLACED_COLUMNS, placed_points_sql, polygons_loaded
from loaders.pseudonyms import PseudonymKey, pseudonym_sql
from loaders.reference import (GM_LSOA21_BOUNDARIES, LSOA21_BOUNDARIES, POSTCODE_CENTROIDS, POSTCODE_DIRECTORY,
                               postcode_key_sql, postcode_lsoas_sql)
from loaders.registry import read_fields
from loaders.scan import FileScan, count_records, scan
from loaders.spatial import load_spatial

STAGED = "_incoming"
REJECTED = "_rejected"
DELIVERED = "_delivered"
LOADABLE = "_loadable"
LOCAL_TIME_ZONE = "Europe/London"
TRUE_WORDS = ("TRUE", "T", "YES", "Y", "1")
FALSE_WORDS = ("FALSE", "F", "NO", "N", "0")


@dataclass(frozen=True)
class LoadResult:
    load_id: int
    file_name: str
    partner: str
    feed: str
    status: str                 # loaded | skipped (same bytes loaded before) | superseded (older than the live one)
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    periods: tuple[str, ...]    # the labels of the periods its loadable rows fall in (audit.load_periods), in order
    superseded: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class DeliverySlice:
    """What a delivery is for: the period (a month or year, by its first day) and the scope (e.g. a force) of its
    contract's delivery scope, each None where the scope has no such part; both None for a whole-table delivery."""
    period_start: date | None
    period_grain: str | None
    scope: str | None


BATCH_BYTES = 128 << 20  # a batch's files at most: their text and typed values are staged together, in memory


@dataclass(frozen=True)
class _Delivery:
    """A file to be loaded, with what was learnt of it before its rows are read."""
    path: Path
    scanned: FileScan
    present: tuple[Column, ...]  # the contract's columns the file has
    size: int  # bytes
    started: datetime
    note: str | None  # why bytes loaded before are loaded again


def needs_key(contract: Contract) -> bool:
    return any(c.personal == "pseudonymise" for c in contract.columns)


def geocodes_postcodes(contract: Contract) -> bool:
    return any(c.personal == "postcode" for c in contract.columns)


def needs_spatial(contract: Contract) -> bool:
    return contract.placed_in_lsoas or any(c.type == "polygon" for c in contract.columns)


def load_file(con: duckdb.DuckDBPyConnection, contract: Contract, path: Path,
              key: PseudonymKey | None = None, *, reload: bool = False) -> LoadResult:
    (result,) = load_files(con, contract, [path], key, reload=reload)
    return result


def load_files(con: duckdb.DuckDBPyConnection, contract: Contract, paths: list[Path],
               key: PseudonymKey | None = None, *, reload: bool = False,
               load_ids: LoadIds | None = None) -> Iterator[LoadResult]:
    """One contract's files, each with the outcome it would have loaded alone, in the order given, yielded as each
    batch lands. Bytes loaded before (live or since superseded) are skipped, unless reload asks for them again. A
    refused file is refused once the files before it have landed, and the files after it are not tried. Connections
    loading other feeds of the same database at the same time share one load_ids.

    The files are read, checked and loaded a batch at a time, each batch in one transaction: a statement costs
    milliseconds before it reads a row, and DuckDB reads several files on several cores where a small one keeps to
    one. A batch holds the files read alike (the same columns, CSV) up to BATCH_BYTES."""
    if needs_key(contract) and key is None:
        raise ValueError(f"the {contract.feed} contract pseudonymises identifiers: load it with the partnership's key")
    ensure_audit_schema(con)
    ensure_raw_table(con, contract)
    load_ids = load_ids or LoadIds()
    loaded_bytes = _loaded_bytes(con, contract)

    def land(landing: list[_Delivery]) -> list[LoadResult]:
        results = _load_batch(con, contract, landing, key, load_ids)
        loaded_bytes.update((delivery.scanned.sha256, (r.load_id, r.rows_read, r.rows_loaded, r.rows_rejected))
                            for delivery, r in zip(landing, results))
        return results

    batch: list[_Delivery] = []
    # The files are scanned ahead, on a thread of their own, while DuckDB loads the batches before them.
    scanner = ThreadPoolExecutor(1)
    try:
        for path, scanned in zip(paths, scanner.map(lambda path: scan(path, contract.max_line_bytes), paths)):
            started = datetime.now()
            if any(d.scanned.sha256 == scanned.sha256 for d in batch):
                yield from land(batch)  # the same bytes twice: the first lands, as in turn
                batch = []
            earlier = loaded_bytes.get(scanned.sha256)
            if earlier and not reload:
                yield from land(batch)  # so that the results keep the files' order
                batch = []
                load_id, read, loaded, rejected = earlier
                yield LoadResult(load_id, path.name, contract.partner, contract.feed, "skipped", read, loaded, rejected,
                                 _period_labels(con, [load_id])[load_id])
                continue
            note = f"reloaded as asked (--reload): the same bytes as load {earlier[0]}" if earlier else None
            try:
                delivery = _Delivery(path, scanned, _readable(con, contract, path, scanned), path.stat().st_size,
                                     started, note)
            except LoaderError as error:
                land(batch)  # the files before it land first
                record_refusal(con, contract.partner, contract.feed, path, str(error), scanned.sha256, started,
                               load_ids)
                raise
            if batch and not _read_alike(batch, delivery, contract):
                yield from land(batch)
                batch = []
            batch.append(delivery)
        yield from land(batch)
    finally:
        scanner.shutdown(cancel_futures=True)


def _loaded_bytes(con, contract: Contract) -> dict[str, tuple[int, int, int, int]]:
    """(load id, rows read, loaded, rejected) of the latest load of each file's bytes (by checksum) the feed has
    loaded, live or since superseded; read once for a run of files, which then adds its own."""
    return {sha256: counts for sha256, *counts in con.execute(
        "select sha256, load_id, rows_read, rows_loaded, rows_rejected from audit.loads "
        "where partner = ? and feed = ? and status in ('loaded', 'superseded') order by load_id",
        [contract.partner, contract.feed]).fetchall()}


def _readable(con, contract: Contract, path: Path, scanned: FileScan) -> tuple[Column, ...]:
    """The contract's columns the file has, once it is found fit to read (LoaderError when not)."""
    _refuse_long_lines(path, contract, scanned)
    present = contract.present_columns(read_fields(path, contract))
    if present is None:
        raise LoaderError(path, f"the header is not the {contract.feed} contract's", row=1)
    if needs_spatial(contract):
        load_spatial(con)
    if contract.placed_in_lsoas and not polygons_loaded(con):
        raise LoaderError(path, f"places its points in the 2021 LSOA polygons, and none are loaded: load the "
                                f"LSOA boundaries first ({GM_LSOA21_BOUNDARIES.feed} or {LSOA21_BOUNDARIES.feed})")
    return present


def _read_alike(batch: list[_Delivery], delivery: _Delivery, contract: Contract) -> bool:
    """Whether the file can be read in one statement with the batch: CSV (GeoJSON is read a file at a time), the same
    columns, and room for it within BATCH_BYTES."""
    size = sum(d.size for d in (*batch, delivery))
    return contract.format == "csv" and delivery.present == batch[0].present and size <= BATCH_BYTES


def _load_batch(con, contract: Contract, batch: list[_Delivery], key: PseudonymKey | None,
                load_ids: LoadIds) -> list[LoadResult]:
    """A batch in one transaction. When a file of several is refused, they are loaded again one by one, so that the
    files before it land and it is refused by name, with its own row and reason."""
    if not batch:
        return []
    try:
        con.execute("begin transaction")
        results = _load(con, contract, batch, key, load_ids)
        con.execute("commit")
        return results
    except LoaderError as error:
        _rollback(con)
        if len(batch) > 1:
            _drop_working_tables(con)
            return [result for delivery in batch for result in _load_batch(con, contract, [delivery], key, load_ids)]
        (refused,) = batch
        record_refusal(con, contract.partner, contract.feed, refused.path, str(error), refused.scanned.sha256,
                       refused.started, load_ids)
        raise
    except BaseException:
        _rollback(con)
        raise
    finally:
        _drop_working_tables(con)


def _load(con, contract: Contract, batch: list[_Delivery], key: PseudonymKey | None,
          load_ids: LoadIds) -> list[LoadResult]:
    """Each file's outcome is decided in turn, as if it were loaded alone (a later file of the same slice replaces
    an earlier one of the batch as it would a load before it); the rows of the files still live are then inserted
    at once."""
    rows_read = _stage(con, contract, batch)
    _quarantine(con, contract)
    rows_rejected = dict(con.execute(
        f"select delivery_index, count(distinct staged_row) from {REJECTED} group by all").fetchall())
    _count_loadable(con, contract)
    slices = _delivery_slices(con, contract)
    live_slices = _live_slices(con, contract)
    audited: dict[int, _Audited] = {}  # the batch's loads, by id, as audit.loads will hold them
    first_load_id = load_ids.take(con, len(batch))
    for index, delivery in enumerate(batch, start=1):
        load_id = first_load_id + index - 1
        delivery_slice = slices.get(index)
        delivered_at = _delivered_at(delivery.path)
        same_slice = (delivery_slice.period_start, delivery_slice.scope) if delivery_slice else None
        live = live_slices.get(same_slice, [])
        newer = None if delivery.note else _newer_live_delivery(live, delivered_at)
        note, superseded = delivery.note, []
        if newer:
            note = (f"kept out: delivered {delivered_at:%Y-%m-%d %H:%M:%S}, before load {newer[0]} of the same slice "
                    f"({newer[1]:%Y-%m-%d %H:%M:%S}), which stays live; hub ingest --reload makes this file live")
        else:
            superseded = _replace_earlier_deliveries(con, contract, live)
            _mark_superseded(con, audited, superseded, load_id)
            live.clear()
        read, rejected = rows_read[index], rows_rejected.get(index, 0)
        if delivery_slice and not newer and read > rejected:
            live_slices.setdefault(same_slice, live).append((load_id, delivered_at))
        outcome = "superseded" if newer else "loaded"
        audited[load_id] = _Audited(delivery, delivered_at, delivery_slice, read, rejected, outcome, outcome, note,
                                    newer[0] if newer else None, tuple(superseded))
    _record_loads(con, contract, audited)
    batch_ids = list(audited)
    live = {load_id for load_id, load in audited.items() if load.status == "loaded"}
    con.execute(f"update {DELIVERED} set delivery_load_id = list_extract($ids, delivery_index), "
                f"delivery_file_name = list_extract($names, delivery_index), "
                f"delivery_live = list_contains($live, delivery_index)",
                {"ids": batch_ids, "names": [d.path.name for d in batch],
                 "live": [index for index, load_id in enumerate(batch_ids, start=1) if load_id in live]})
    if any(rows_rejected.values()):
        _record_rejects(con, contract)
    if live:
        _insert(con, contract, key)
    _record_periods(con, contract)
    periods = _period_labels(con, batch_ids)
    return [LoadResult(load_id, load.delivery.path.name, contract.partner, contract.feed, load.outcome, load.read,
                       load.read - load.rejected, load.rejected, periods[load_id], load.superseded)
            for load_id, load in audited.items()]


@dataclass(frozen=True)
class _Audited:
    """A file's load as audit.loads records it, decided before it is recorded."""
    delivery: _Delivery
    delivered_at: datetime
    delivery_slice: DeliverySlice | None
    read: int
    rejected: int
    outcome: str  # its status when it was loaded, as it would have been loaded alone (what LoadResult reports)
    status: str  # its status once the batch is loaded: a later file of the batch may have replaced it
    message: str | None
    superseded_by: int | None
    superseded: tuple[int, ...]


def _record_loads(con, contract: Contract, audited: dict[int, _Audited]) -> None:
    """The batch's loads in audit.loads, in one statement."""
    rows = [[load_id, contract.partner, contract.feed, load.delivery.path.name, str(load.delivery.path.resolve()),
             load.delivery.scanned.sha256, load.delivered_at,
             *(astuple(load.delivery_slice) if load.delivery_slice else (None, None, None)), load.read,
             load.read - load.rejected, load.rejected, load.status, load.message, load.superseded_by,
             load.delivery.started, datetime.now()] for load_id, load in audited.items()]
    con.execute(
        "insert into audit.loads (load_id, partner, feed, file_name, file_path, sha256, delivered_at, "
        "slice_period_start, slice_period_grain, slice_scope, rows_read, rows_loaded, rows_rejected, status, "
        "message, superseded_by, started_at, finished_at) values "
        + ", ".join(["(" + ", ".join(["?"] * len(rows[0])) + ")"] * len(rows)),
        [value for row in rows for value in row])


def _refuse_long_lines(path: Path, contract: Contract, scanned: FileScan) -> None:
    if scanned.first_long_line:
        line, length = scanned.first_long_line
        raise LoaderError(path, f"is {length / (1 << 20):,.1f} MB long, longer than any {contract.feed} record can be "
                                f"({contract.max_line_bytes / (1 << 20):g} MB at most): a field has run on or other "
                                "data has been pasted in. Ask the partner for a clean extract.", row=line)


def _stage(con, contract: Contract, batch: list[_Delivery]) -> dict[int, int]:
    """Every field of the batch's files as text, numbered in its file (source_row) and in the batch (staged_row),
    beside its value in the contract's type (null where blank or not of that type): typed once, for the checks, the
    insert and the slices to share; the text stays for the checks to tell a blank from a bad value and to name it.
    Optional columns the files leave out are staged as blanks; a row's file is its place in the batch
    (delivery_index). Returns each file's rows read, checked against the file's own count of records so that none
    can go missing in the reader."""
    present = batch[0].present
    absent = "".join(f", cast(null as varchar) as {c.name}" for c in contract.columns if c not in present)
    typed = ", ".join(f"{_typing(c)} as {_typed(c)}" for c in contract.columns)
    geojson = contract.format == "geojson"
    with ExitStack() as opened:
        readables = [d.path if geojson else
                     opened.enter_context(utf8_copy(d.path, contract.encodings, d.scanned.is_utf8)) for d in batch]
        files = {"files": [str(r) for r in readables]}
        try:
            # Numbered in the order read, which is the files' order and each file's own: a row number over the whole
            # read is the one numbering DuckDB keeps in order across several files read in parallel (the staged
            # table's rowid is not: 194 recorded-crime rows of the 1M bench set were out of their files' order). A
            # row's number in its file counts from its file's first, found by a grouping joined back, which lets the
            # typing run on both cores (a plain row number keeps it on one) and costs less than a window over each
            # file (bench/README.md). Read, numbered and typed in one statement, so that the text is not written to a
            # table of its own and read again.
            con.execute(f"""
                create or replace temp table {STAGED} as
                with numbered as materialized (
                    select row_number() over () as staged_row, *
                    from ({staged_features_sql(present) if geojson else _csv_reader(present)})),
                firsts as (select filename, min(staged_row) as first_row from numbered group by filename)
                select *, {typed}
                from (select staged_row, staged_row + 1 - first_row as source_row,
                             list_position($files, filename) as delivery_index,
                             * exclude (staged_row, filename, first_row){absent}
                      from numbered join firsts using (filename))
            """, files)
        except duckdb.Error as error:
            raise _unreadable(contract, batch[0].path, error) from None
        con.execute(f"""
            create or replace temp table {DELIVERED} as
            select delivery_index, count(*) as delivery_rows, cast(null as bigint) as delivery_load_id,
                   cast(null as varchar) as delivery_file_name, false as delivery_live
            from {STAGED} group by all
        """)
        found = dict(con.execute(f"select delivery_index, delivery_rows from {DELIVERED}").fetchall())
        rows_read = {index: found.get(index, 0) for index in range(1, len(batch) + 1)}
        for (index, delivery), readable in zip(enumerate(batch, start=1), readables):
            _check_rows_read(contract, delivery, readable, rows_read[index])
    return rows_read


def _csv_reader(present: tuple[Column, ...]) -> str:
    """The files in $files, every field as text, each row with its file's name (filename)."""
    columns = "{" + ", ".join(f"{sql_literal(c.name)}: 'VARCHAR'" for c in present) + "}"
    return (f"select * from read_csv($files, header = true, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {columns}, auto_detect = false, strict_mode = true, null_padding = false, "
            f"encoding = 'utf-8', filename = true)")


def _unreadable(contract: Contract, path: Path, error: duckdb.Error) -> LoaderError:
    if contract.format == "geojson":
        return LoaderError(path, f"could not be read as GeoJSON: {str(error).strip().splitlines()[0]}")
    line, problem = _csv_problem(error)
    return LoaderError(path, f"could not be read as CSV: {problem}. Check the file is the partner's CSV extract, "
                             "comma-delimited, with one record per line.", row=line)


def _check_rows_read(contract: Contract, delivery: _Delivery, readable: Path, rows_read: int) -> None:
    path = delivery.path
    if contract.format == "geojson":
        expected = len(features(path))
        if rows_read != expected:
            raise LoaderError(path, f"holds {expected:,} features but only {rows_read:,} could be read, so it is "
                                    "refused whole rather than loaded short")
    else:
        # Lines and rows agree unless a quoted field spans lines or a line is blank; only then are records counted.
        lines = delivery.scanned.lines
        records = lines if lines == rows_read + 1 else count_records(readable)
        if records != rows_read + 1:
            raise LoaderError(path, f"holds {records - 1:,} records after its header but only {rows_read:,} could be "
                                    "read, so it is refused whole rather than loaded short. Check the file is complete "
                                    "and each record is on one line.")
    if rows_read == 0:
        raise LoaderError(path, "has a header but no data rows: an empty delivery is refused, so a missing "
                                "extract is never mistaken for a period without events")


def _insert(con, contract: Contract, key: PseudonymKey | None) -> None:
    """The loadable rows of the batch's live files, each with its file's load id."""
    joins = "".join(_postcode_join(c) for c in contract.columns if c.personal == "postcode")
    joins += "".join(_pseudonym_join(c) for c in contract.columns if c.personal == "pseudonymise")
    placed = ""
    if contract.placed_in_lsoas:
        longitude, latitude = (_typed(contract.column(name)) for name in contract.coordinates)
        points = f"select {longitude} as longitude, {latitude} as latitude from {STAGED}"
        joins += (f" left join (select longitude as point_longitude, latitude as point_latitude, * exclude "
                  f"(longitude, latitude) from ({placed_points_sql(points)})) as placed "
                  f"on placed.point_longitude = {longitude} and placed.point_latitude = {latitude}")
        placed = "".join(f", placed.{name}" for name, _ in PLACED_COLUMNS)
    con.execute(f"""
        insert into raw.{contract.table}
        select {', '.join(expression for c in contract.columns for expression in _stored(c))},
               {_period_month(contract)}, {DELIVERED}.delivery_load_id, source_row{placed}
        from {STAGED} join {DELIVERED} using (delivery_index){joins}
        where {DELIVERED}.delivery_live and staged_row not in (select staged_row from {REJECTED})
        order by staged_row
    """, key.parameters() if needs_key(contract) else {})


def _postcode_join(column: Column) -> str:
    """The staged postcodes of `column` joined to their LSOAs, looked up among the file's own postcodes."""
    key = postcode_key_sql(column.name)
    lookup = postcode_lsoas_sql(f"select {key} from {STAGED}")
    return f" left join ({lookup}) as pc_{column.name} on pc_{column.name}.postcode_key = {key}"


def _pseudonym_join(column: Column) -> str:
    """The pseudonyms of `column`, each distinct identifier of the batch hashed once: an identifier recurs (a place
    on many crimes, a person on many months of a caseload), and hashing costs more than the join that shares it."""
    identifiers = f"select distinct {_typed(column)} as identifier from {STAGED}"
    return (f" left join (select identifier, {pseudonym_sql('identifier')} as pseudonym from ({identifiers})) "
            f"as ps_{column.name} on ps_{column.name}.identifier = {_typed(column)}")


def _stored(column: Column) -> tuple[str, ...]:
    if column.personal == "withhold":
        return ()
    if column.personal == "pseudonymise":
        return (f"ps_{column.name}.pseudonym",)
    if column.personal == "postcode":
        outward = f"regexp_extract(upper(trim({column.name})), '^([A-Z]{{1,2}}[0-9][A-Z0-9]?) ?([0-9][A-Z]{{2}})?$', 1)"
        return (f"pc_{column.name}.lsoa_code", f"nullif({outward}, '')")
    return (_typed(column),)


def _quarantine(con, contract: Contract) -> None:
    """Each problem with a row becomes one reject (a row may have several); the row is then not loaded."""
    checks = [check for column in contract.columns for check in _column_checks(column)]
    if contract.coordinates:
        checks += _coordinate_checks(*(contract.column(n) for n in contract.coordinates))
    con.execute(f"create or replace temp table {REJECTED} "
                "(staged_row bigint, delivery_index integer, column_name varchar, reason varchar)")
    if checks:
        # One scan for every check: a statement costs ~1 ms before it reads a row, and a file has up to 30 checks.
        # Only the rows failing one have their reasons listed: building the list costs more than testing them.
        failures = ", ".join(
            f"case when {condition} then {{'column_name': {sql_literal(column)}, 'reason': {reason}}} end"
            for column, condition, reason in checks)
        failing = " or ".join(f"({condition})" for _, condition, _ in checks)
        con.execute(f"""
            insert into {REJECTED}
            select staged_row, delivery_index, failure.column_name, failure.reason
            from (select staged_row, delivery_index, unnest(list_filter([{failures}], f -> f is not null)) as failure
                  from {STAGED} where {failing})
        """)
    if contract.natural_key:
        _quarantine_repeated_keys(con, contract)


def _record_rejects(con, contract: Contract) -> None:
    """The batch's rejects in audit.rejects, each with its file's load and its row as the file has it."""
    record = "json_object(" + ", ".join(
        f"{sql_literal(c.source)}, " + (f"case when {STAGED}.{c.name} is not null then {sql_literal(WITHHELD)} end"
                                     if c.personal else f"{STAGED}.{c.name}")
        for c in contract.columns) + ")"
    con.execute(f"""
        insert into audit.rejects
        select {DELIVERED}.delivery_load_id, {DELIVERED}.delivery_file_name, {STAGED}.source_row, r.column_name,
               r.reason, {record}
        from {REJECTED} as r
        join {STAGED} using (staged_row)
        join {DELIVERED} on {DELIVERED}.delivery_index = r.delivery_index
        order by r.staged_row
    """)


def _quarantine_repeated_keys(con, contract: Contract) -> None:
    """A key repeated within a delivery keeps its first row; later rows are quarantined, naming the first. The keys
    that repeat are found by grouping, which costs less than numbering every key's rows in a window."""
    key = [contract.column(n) for n in contract.natural_key]
    values = ", ".join(f"{_text(c.name)} as key_{i}" for i, c in enumerate(key))
    keyed = f"from {STAGED} where {' and '.join(f'not {_blank(c)}' for c in key)}"
    headers = ", ".join(c.source for c in key)
    con.execute(f"""
        insert into {REJECTED}
        select staged_row, delivery_index, $headers,
               'repeats the key (' || $headers || ') of row ' || first_row
        from (select staged_row, delivery_index, source_row, {values} {keyed})
        join (select delivery_index, {values}, min(source_row) as first_row {keyed} group by all having count(*) > 1)
            using (delivery_index, {', '.join(f'key_{i}' for i in range(len(key)))})
        where source_row <> first_row
    """, {"headers": headers})


def _text(name: str) -> str:
    """The staged field without its surrounding spaces, or null when blank. trim() copies every string it is given,
    which costs more than the rest of the typing together; a field that needs no trimming (almost all) is kept as is."""
    return f"nullif(case when {name} like ' %' or {name} like '% ' then trim({name}) else {name} end, '')"


def _blank_text(name: str) -> str:
    return f"({_text(name)} is null)"


def _blank(column: Column) -> str:
    """Whether the staged field is blank. Its typed value is null then, and is tested first because it is already
    there: only the rows it leaves in doubt (a value not of the type) have their text trimmed."""
    return f"({_typed(column)} is null and {_blank_text(column.name)})"


def _quoted(column: Column) -> str:
    return f"'''' || trim({column.name}) || ''''"


def _column_checks(column: Column) -> list[tuple[str, str, str]]:
    """(column, condition on the staged row, reason) for each way a value can be wrong.

    Personal data is checked only for presence, so no reason ever quotes it."""
    checks = []
    if column.required:
        checks.append((column.source, _blank(column), sql_literal(f"{column.source} is blank but required")))
    if column.type != "varchar" and column.type != "id":
        expected = {"double": "a number", "integer": "a whole number", "boolean": "True or False (or Y/N)",
                    "month": "a YYYY-MM month", "year": "a YYYY year",
                    "polygon": "a GeoJSON Polygon or MultiPolygon"}.get(column.type)
        expected = expected or f"a {column.type} as {' or '.join(column.formats)}"
        # A geometry runs to thousands of coordinates: its reason names its type rather than quoting it.
        shown = (f"coalesce(json_extract_string({column.name}, '$.type'), 'the value')" if column.type == "polygon"
                 else _quoted(column))
        checks.append((column.source, f"{_typed(column)} is null and not {_blank_text(column.name)}",
                       f"{sql_literal(column.source + ' ')} || {shown} || {sql_literal(' is not ' + expected)}"))
    if column.values:
        allowed = ", ".join(sql_literal(v) for v in column.values)
        checks.append((column.source, f"cast({_typed(column)} as varchar) not in ({allowed})",
                       f"{sql_literal(column.source + ' ')} || {_quoted(column)} || ' is not a known code'"))
    return checks


def _coordinate_checks(longitude: Column, latitude: Column) -> list[tuple[str, str, str]]:
    lon, lat = (_typed(c) for c in (longitude, latitude))
    return [
        (f"{longitude.source}/{latitude.source}", f"{_blank(longitude)} <> {_blank(latitude)}",
         sql_literal(f"only one of {longitude.source} and {latitude.source} is given")),
        (longitude.source, f"not ({lon} between -180 and 180)",
         f"{sql_literal(longitude.source + ' ')} || {_quoted(longitude)} || ' is out of range'"),
        (latitude.source, f"not ({lat} between -90 and 90)",
         f"{sql_literal(latitude.source + ' ')} || {_quoted(latitude)} || ' is out of range'"),
    ]


def _typed(column: Column) -> str:
    """The staged column holding the field's value in its contract type (see _stage)."""
    return f"{column.name}__typed"


def _typing(column: Column) -> str:
    """The value in its contract type, or null when blank or not of that type (which _column_checks reports)."""
    value = _text(column.name)
    kind = column.type
    if kind == "varchar":
        return value
    if kind == "id":
        return f"regexp_replace({value}, '^([0-9]+)\\.0+$', '\\1')"
    if kind == "double":
        return f"try_cast({value} as double)"
    if kind == "integer":
        number = f"try_cast({value} as double)"
        return f"case when {number} = floor({number}) then try_cast({number} as bigint) end"
    if kind == "boolean":
        words = lambda w: ", ".join(f"'{x}'" for x in w)  # noqa: E731
        return (f"case when upper({value}) in ({words(TRUE_WORDS)}) then true "
                f"when upper({value}) in ({words(FALSE_WORDS)}) then false end")
    if kind == "month":
        return (f"case when regexp_full_match({value}, '[0-9]{{4}}-[0-9]{{2}}') "
                f"then try_strptime({value} || '-01', '%Y-%m-%d')::date end")
    if kind == "year":
        return f"case when regexp_full_match({value}, '[0-9]{{4}}') then cast({value} as integer) end"
    if kind == "polygon":
        # Kept as delivered: a ring that crosses itself (a generalised boundary can) is still the area's polygon,
        # and placement makes it valid (ST_MakeValid) where it is used.
        return (f"case when try(ST_GeometryType(ST_GeomFromGeoJSON({value}))) in ('POLYGON', 'MULTIPOLYGON') "
                f"then {value} end")
    parsed = [_parse(value, fmt, kind) for fmt in column.formats]
    return parsed[0] if len(parsed) == 1 else f"coalesce({', '.join(parsed)})"


def _parse(value: str, fmt: str, kind: str) -> str:
    if kind == "time":
        return f"cast(try_strptime('2000-01-01 ' || {value}, '%Y-%m-%d {fmt}') as time)"
    if fmt.endswith("%z"):
        # An instant with its offset (police.uk writes UTC, +00:00, all year) is kept as UK local time, so an
        # event at 00:45 BST on 1 August is an August event, as police.uk counts it, whatever the machine's zone.
        return f"cast(timezone('{LOCAL_TIME_ZONE}', try_strptime({value}, '{fmt}')) as {kind})"
    return f"cast(try_strptime({value}, '{fmt}') as {kind})"


def _month_start(column: Column) -> str:
    """The first day of the month (or, for a year column, the year) a row's value falls in."""
    typed = _typed(column)
    if column.type == "year":
        return f"make_date({typed}, 1, 1)"
    return f"cast(date_trunc('month', {typed}) as date)"


def _period_month(contract: Contract) -> str:
    if contract.period is None:
        return "cast(null as date)"
    return _month_start(contract.column(contract.period))


def _record_periods(con, contract: Contract) -> None:
    """The periods each file's loadable rows fall in, one row each in audit.load_periods, kept out of raw.* or not."""
    if contract.period is None:
        return
    con.execute(f"""
        insert into audit.load_periods (load_id, period_start, period_grain, period_label)
        select distinct {DELIVERED}.delivery_load_id, period_month, $grain, strftime(period_month, $label)
        from {LOADABLE} join {DELIVERED} using (delivery_index)
    """, {"grain": contract.period_grain, "label": PERIOD_LABELS[contract.period_grain]})


def _period_labels(con, load_ids: list[int]) -> dict[int, tuple[str, ...]]:
    labels = dict(con.execute(
        "select load_id, list(period_label order by period_start) from audit.load_periods "
        "where list_contains(?, load_id) group by load_id", [load_ids]).fetchall())
    return {load_id: tuple(labels.get(load_id, ())) for load_id in load_ids}


def _count_loadable(con, contract: Contract) -> None:
    """The batch's loadable rows counted by file, period and slice, for the slices and the periods of its loads: the
    staged rows are read for both at once."""
    period = contract.slice_period
    slice_start = ("cast(null as date)" if period is None
                   else _period_month(contract) if period == PERIOD_MONTH else _month_start(contract.column(period)))
    scope = (f"cast({_typed(contract.column(contract.slice_scope))} as varchar)" if contract.slice_scope
             else "cast(null as varchar)")
    con.execute(f"""
        create or replace temp table {LOADABLE} as
        select delivery_index, {_period_month(contract)} as period_month, {slice_start} as slice_start,
               {scope} as slice_scope, count(*) as loadable
        from {STAGED} where staged_row not in (select staged_row from {REJECTED}) group by all
    """)


def _delivery_slices(con, contract: Contract) -> dict[int, DeliverySlice]:
    """What each file is for: the period and scope of the contract's delivery scope (the period, by default)
    holding most of its loadable rows, ties to the latest. Rows of other periods (a late record in the next month's
    file) stay part of this delivery without making it a delivery of their period. A contract with no scope (a
    reference lookup) is delivered whole, so each delivery replaces the one before. A file whose every row was
    refused has none, and replaces nothing."""
    found = con.execute(f"""
        select delivery_index, period_start, scope
        from (select delivery_index, slice_start as period_start, slice_scope as scope, sum(loadable) as loadable
              from {LOADABLE} group by all)
        qualify row_number() over (partition by delivery_index
                                   order by loadable desc, period_start desc nulls last, scope desc nulls last) = 1
    """).fetchall()
    return {index: DeliverySlice(start, contract.slice_period_grain, scope) for index, start, scope in found}


def _live_slices(con, contract: Contract) -> dict[tuple[date | None, str | None], list[tuple[int, datetime]]]:
    """(load id, delivered at) of the live deliveries of each slice (period start, scope), in load order. One that
    loaded no rows is for no slice and is never replaced."""
    slices: dict[tuple[date | None, str | None], list[tuple[int, datetime]]] = {}
    for load_id, delivered_at, period_start, scope in con.execute(
            "select load_id, delivered_at, slice_period_start, slice_scope from audit.loads "
            "where partner = ? and feed = ? and rows_loaded > 0 and status = 'loaded' order by load_id",
            [contract.partner, contract.feed]).fetchall():
        slices.setdefault((period_start, scope), []).append((load_id, delivered_at))
    return slices


def _newer_live_delivery(live: list[tuple[int, datetime]], delivered_at: datetime) -> tuple[int, datetime] | None:
    """The live delivery of the slice when it was delivered after this file (the latest, if several): an older file
    found late (or named after the newer one) must not undo a correction."""
    newer = [(at, load_id) for load_id, at in live if at > delivered_at]
    if not newer:
        return None
    at, load_id = max(newer)
    return load_id, at


def _replace_earlier_deliveries(con, contract: Contract, live: list[tuple[int, datetime]]) -> list[int]:
    """A new delivery of a slice replaces every earlier delivery of it, whole."""
    earlier = [load_id for load_id, _ in live]
    if earlier:
        con.execute(f"delete from raw.{contract.table} where list_contains(?, load_id)", [earlier])
    return earlier


def _mark_superseded(con, audited: dict[int, _Audited], earlier: list[int], load_id: int) -> None:
    """Each earlier load now replaced by load_id: in audit.loads, or, if of this batch, as it will be recorded."""
    message = f"replaced by load {load_id}, a later delivery of the same slice"
    for previous in earlier:
        if previous in audited:
            audited[previous] = replace(audited[previous], status="superseded", superseded_by=load_id, message=message)
        else:
            con.execute("update audit.loads set status = 'superseded', superseded_by = ?, message = ? where load_id = ?",
                        [load_id, message, previous])


def ensure_raw_table(con, contract: Contract) -> None:
    if geocodes_postcodes(contract):
        for directory in (POSTCODE_DIRECTORY, POSTCODE_CENTROIDS):
            ensure_raw_table(con, directory)
    if contract.placed_in_lsoas:
        for polygons in (GM_LSOA21_BOUNDARIES, LSOA21_BOUNDARIES):
            ensure_raw_table(con, polygons)
    columns = ", ".join(f"{name} {kind}" for c in contract.columns for name, kind in c.stored)
    placed = "".join(f", {name} {kind}" for name, kind in PLACED_COLUMNS) if contract.placed_in_lsoas else ""
    con.execute(f"create table if not exists raw.{contract.table} ({columns}, period_month date, "
                f"load_id bigint not null, source_row bigint not null{placed})")


def record_refusal(con, partner: str, feed: str, path: Path, message: str, digest: str | None = None,
                   started: datetime | None = None, load_ids: LoadIds | None = None) -> None:
    """Every refused attempt is audited, with the message the partner's file was refused with (which never quotes a
    personal value), under an id taken like a load's."""
    ensure_audit_schema(con)
    con.execute(
        "insert into audit.loads (load_id, partner, feed, file_name, file_path, sha256, delivered_at, rows_read, "
        "rows_loaded, rows_rejected, status, message, started_at, finished_at) "
        "values (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 'failed', ?, ?, ?)",
        [(load_ids or LoadIds()).take(con, 1), partner, feed, path.name, str(path.resolve()),
         digest or scan(path, MAX_LINE_BYTES).sha256,
         _delivered_at(path), message, started or datetime.now(), datetime.now()],
    )


def _delivered_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)


def _drop_working_tables(con) -> None:
    """The staged rows hold clear identifiers: they must not outlive the load, even in memory."""
    for table in (STAGED, REJECTED, DELIVERED, LOADABLE):
        con.execute(f"drop table if exists {table}")


def _rollback(con) -> None:
    try:
        con.execute("rollback")
    except duckdb.TransactionException:
        pass  # the failure came before the transaction began


# What DuckDB's CSV errors mean, in the partner's terms. Its message also quotes the offending line, which may hold
# personal data, so only these readings (or its first line) are ever passed on.
CSV_PROBLEMS = (
    (r"Expected Number of Columns: (\d+) Found: (\d+)", "the record has {1} fields where the header has {0}"),
    (r"unterminated quote", "a quoted field is never closed"),
    (r"Invalid unicode", "bytes that are not UTF-8 text"),
)


def _csv_problem(error: Exception) -> tuple[int | None, str]:
    """(line, what is wrong) from a DuckDB CSV error, without the line's content."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    for pattern, meaning in CSV_PROBLEMS:
        if found := re.search(pattern, text):
            return (int(line.group(1)) if line else None), meaning.format(*found.groups())
    return (int(line.group(1)) if line else None), text.strip().splitlines()[0]
