"""One engine for every contract: read with DuckDB, quarantine bad rows, load the rest, audit it, in one transaction.

Rows read = rows loaded + rows rejected, always. A file that cannot be read as its contract says is refused whole
(LoaderError) and nothing of it lands. Loading the same bytes twice changes nothing; a new delivery of a slice
already held (e.g. the same force and month) replaces that slice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from loaders.contracts import Column, Contract
from loaders.errors import LoaderError
from loaders.registry import read_header
from warehouse.audit import ensure_audit_schema

STAGED = "_incoming"
REJECTED = "_rejected"


@dataclass(frozen=True)
class LoadResult:
    load_id: int
    file_name: str
    partner: str
    feed: str
    status: str                 # loaded | skipped (same file already loaded)
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    periods: str | None
    superseded: tuple[int, ...] = field(default=())


def load_file(con: duckdb.DuckDBPyConnection, contract: Contract, path: Path) -> LoadResult:
    ensure_audit_schema(con)
    _ensure_raw_table(con, contract)
    started = datetime.now()
    digest = _sha256(path)
    earlier = con.execute(
        "select load_id, rows_read, rows_loaded, rows_rejected, periods from audit.loads "
        "where partner = ? and feed = ? and sha256 = ? and status = 'loaded'",
        [contract.partner, contract.feed, digest],
    ).fetchone()
    if earlier:
        load_id, read, loaded, rejected, periods = earlier
        return LoadResult(load_id, path.name, contract.partner, contract.feed, "skipped", read, loaded, rejected, periods)

    (load_id,) = con.execute("select nextval('audit.load_id_seq')").fetchone()
    try:
        if tuple(read_header(path)) != contract.headers:
            raise LoaderError(path, f"the header is not the {contract.feed} contract's", row=1)
        con.execute("begin transaction")
        result = _load(con, contract, path, load_id, digest, started)
        con.execute("commit")
        return result
    except LoaderError as error:
        _rollback(con)
        _record_failure(con, contract, path, load_id, digest, started, str(error))
        raise
    except BaseException:
        _rollback(con)
        raise


def _load(con, contract: Contract, path: Path, load_id: int, digest: str, started: datetime) -> LoadResult:
    _stage(con, contract, path)
    (rows_read,) = con.execute(f"select count(*) from {STAGED}").fetchone()
    if rows_read == 0:
        raise LoaderError(path, "has a header but no data rows: an empty delivery is refused, so a missing "
                                "extract is never mistaken for a month without crime")
    _quarantine(con, contract, path, load_id)
    (rows_rejected,) = con.execute(f"select count(distinct source_row) from {REJECTED}").fetchone()
    superseded = _replace_delivered_slices(con, contract, load_id)
    con.execute(f"""
        insert into raw.{contract.table}
        select {', '.join(_typed(c) for c in contract.columns)}, {load_id}, source_row
        from {STAGED}
        where source_row not in (select source_row from {REJECTED})
        order by source_row
    """)
    rows_loaded = rows_read - rows_rejected
    (periods,) = con.execute(
        f"select string_agg(distinct strftime({contract.period}, '%Y-%m'), ',' order by strftime({contract.period}, '%Y-%m')) "
        f"from raw.{contract.table} where load_id = ?", [load_id]
    ).fetchone()
    _mark_superseded(con, contract, superseded, load_id)
    con.execute(
        "insert into audit.loads values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', null, null, ?, ?)",
        [load_id, contract.partner, contract.feed, path.name, str(path.resolve()), digest, _delivered_at(path),
         periods, rows_read, rows_loaded, rows_rejected, started, datetime.now()],
    )
    return LoadResult(load_id, path.name, contract.partner, contract.feed, "loaded", rows_read, rows_loaded,
                      rows_rejected, periods, tuple(superseded))


def _stage(con, contract: Contract, path: Path) -> None:
    """Every field as text, in file order, numbered; typing happens in SQL where failures can be named."""
    columns = "{" + ", ".join(f"'{c.name}': 'VARCHAR'" for c in contract.columns) + "}"
    try:
        _read_csv(con, columns, path)
    except duckdb.Error as error:
        raise LoaderError(path, f"could not be read as CSV: {_first_line(error)}. Check the file is the partner's "
                                "CSV extract, comma-delimited, with one record per line.") from None


def _read_csv(con, columns: str, path: Path) -> None:
    con.execute(f"""
        create or replace temp table {STAGED} as
        select row_number() over () as source_row, *
        from read_csv(?, header = true, delim = ',', quote = '"', escape = '"', columns = {columns},
                      auto_detect = false, strict_mode = true, null_padding = false, encoding = 'utf-8')
    """, [str(path)])


def _quarantine(con, contract: Contract, path: Path, load_id: int) -> None:
    """Each problem with a row becomes one reject (a row may have several); the row is then not loaded."""
    record = "json_object(" + ", ".join(f"'{c.source}', {c.name}" for c in contract.columns) + ")"
    checks = [check for column in contract.columns for check in _column_checks(column)]
    if contract.coordinates:
        checks += _coordinate_checks(*(contract.column(n) for n in contract.coordinates))
    con.execute(f"create or replace temp table {REJECTED} (source_row bigint, column_name varchar, reason varchar)")
    for column, condition, reason in checks:
        con.execute(f"insert into {REJECTED} select source_row, ?, {reason} from {STAGED} where {condition}", [column])
    con.execute(f"""
        insert into audit.rejects
        select {load_id}, ?, r.source_row, r.column_name, r.reason, {record}
        from {REJECTED} as r join {STAGED} using (source_row)
        order by r.source_row
    """, [path.name])


def _blank(name: str) -> str:
    return f"(nullif(trim({name}), '') is null)"


def _quoted(column: Column) -> str:
    return f"'''' || trim({column.name}) || ''''"


def _column_checks(column: Column) -> list[tuple[str, str, str]]:
    checks = []
    if column.required:
        checks.append((column.source, _blank(column.name), f"'{column.source} is blank but required'"))
    if column.type == "double":
        checks.append((column.source, f"not {_blank(column.name)} and try_cast(trim({column.name}) as double) is null",
                       f"'{column.source} ' || {_quoted(column)} || ' is not a number'"))
    if column.type == "month":
        checks.append((column.source, f"not {_blank(column.name)} and {_month(column.name)} is null",
                       f"'{column.source} ' || {_quoted(column)} || ' is not a YYYY-MM month'"))
    return checks


def _coordinate_checks(longitude: Column, latitude: Column) -> list[tuple[str, str, str]]:
    lon, lat = (f"try_cast(trim({c.name}) as double)" for c in (longitude, latitude))
    return [
        (f"{longitude.source}/{latitude.source}", f"{_blank(longitude.name)} <> {_blank(latitude.name)}",
         f"'only one of {longitude.source} and {latitude.source} is given'"),
        (longitude.source, f"not ({lon} between -180 and 180)", f"'{longitude.source} ' || {_quoted(longitude)} || ' is out of range'"),
        (latitude.source, f"not ({lat} between -90 and 90)", f"'{latitude.source} ' || {_quoted(latitude)} || ' is out of range'"),
    ]


def _month(name: str) -> str:
    return (f"case when regexp_full_match(trim({name}), '[0-9]{{4}}-[0-9]{{2}}') "
            f"then try_strptime(trim({name}) || '-01', '%Y-%m-%d')::date end")


def _typed(column: Column) -> str:
    value = f"nullif(trim({column.name}), '')"
    if column.type == "double":
        return f"cast({value} as double)"
    if column.type == "month":
        return _month(column.name)
    return value


def _replace_delivered_slices(con, contract: Contract, load_id: int) -> list[int]:
    """Delete what earlier deliveries said about the slices this one covers; return those deliveries."""
    scope = ", ".join(contract.delivery_scope)
    typed_scope = ", ".join(_typed(contract.column(n)) for n in contract.delivery_scope)
    incoming = (f"select distinct {typed_scope} from {STAGED} "
                f"where source_row not in (select source_row from {REJECTED})")
    earlier = [row[0] for row in con.execute(
        f"select distinct load_id from raw.{contract.table} where ({scope}) in ({incoming}) order by 1"
    ).fetchall()]
    if earlier:
        con.execute(f"delete from raw.{contract.table} where ({scope}) in ({incoming})")
    return earlier


def _mark_superseded(con, contract: Contract, earlier: list[int], load_id: int) -> None:
    for previous in earlier:
        (left,) = con.execute(f"select count(*) from raw.{contract.table} where load_id = ?", [previous]).fetchone()
        status = "superseded" if left == 0 else "loaded"
        con.execute(
            "update audit.loads set status = ?, superseded_by = ?, message = ? where load_id = ?",
            [status, load_id, f"{'all' if left == 0 else 'part'} of it replaced by load {load_id}", previous],
        )


def _ensure_raw_table(con, contract: Contract) -> None:
    types = {"varchar": "varchar", "double": "double", "month": "date"}
    columns = ", ".join(f"{c.name} {types[c.type]}" for c in contract.columns)
    con.execute(f"create table if not exists raw.{contract.table} ({columns}, load_id bigint not null, source_row bigint not null)")


def _record_failure(con, contract: Contract, path: Path, load_id: int, digest: str, started: datetime, message: str) -> None:
    con.execute(
        "insert into audit.loads values (?, ?, ?, ?, ?, ?, ?, null, 0, 0, 0, 'failed', ?, null, ?, ?)",
        [load_id, contract.partner, contract.feed, path.name, str(path.resolve()), digest, _delivered_at(path),
         message, started, datetime.now()],
    )


def _sha256(path: Path) -> str:
    """Streamed, so a multi-gigabyte extract is never held in memory just to be recognised."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _delivered_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)


def _rollback(con) -> None:
    try:
        con.execute("rollback")
    except duckdb.TransactionException:
        pass  # the failure came before the transaction began


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
