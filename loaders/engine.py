"""One engine for every contract: read with DuckDB, quarantine bad rows, load the rest, audit it, in one transaction.

Rows read = rows loaded + rows rejected, always. A file that cannot be read as its contract says is refused whole
(LoaderError) and nothing of it lands. Loading the same bytes twice changes nothing; a new delivery of a slice
already held (e.g. the same force and month) replaces that slice. Personal data is transformed here, at the door
(see loaders.contracts.PERSONAL): no clear identifier, postcode or withheld field reaches any table, including
audit.rejects, whose copy of a refused row shows such fields as '[withheld]'.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from loaders.contracts import WITHHELD, Column, Contract
from loaders.encoding import utf8_copy
from loaders.errors import LoaderError
from loaders.pseudonyms import PseudonymKey, pseudonym_sql
from loaders.reference import POSTCODE_DIRECTORY, postcode_key_sql
from loaders.registry import read_header
from warehouse.audit import ensure_audit_schema

STAGED = "_incoming"
REJECTED = "_rejected"
LOCAL_TIME_ZONE = "Europe/London"
TRUE_WORDS = ("TRUE", "T", "YES", "Y", "1")
FALSE_WORDS = ("FALSE", "F", "NO", "N", "0")


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


def needs_key(contract: Contract) -> bool:
    return any(c.personal == "pseudonymise" for c in contract.columns)


def load_file(con: duckdb.DuckDBPyConnection, contract: Contract, path: Path,
              key: PseudonymKey | None = None) -> LoadResult:
    if needs_key(contract) and key is None:
        raise ValueError(f"the {contract.feed} contract pseudonymises identifiers: load it with the partnership's key")
    ensure_audit_schema(con)
    ensure_raw_table(con, contract)
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
        present = contract.present_columns(read_header(path, contract.encodings))
        if present is None:
            raise LoaderError(path, f"the header is not the {contract.feed} contract's", row=1)
        con.execute("begin transaction")
        result = _load(con, contract, present, path, load_id, digest, started, key)
        con.execute("commit")
        return result
    except LoaderError as error:
        _rollback(con)
        _record_failure(con, contract, path, load_id, digest, started, str(error))
        raise
    except BaseException:
        _rollback(con)
        raise
    finally:
        _drop_working_tables(con)


def _load(con, contract: Contract, present: tuple[Column, ...], path: Path, load_id: int, digest: str,
          started: datetime, key: PseudonymKey | None) -> LoadResult:
    _stage(con, contract, present, path)
    (rows_read,) = con.execute(f"select count(*) from {STAGED}").fetchone()
    if rows_read == 0:
        raise LoaderError(path, "has a header but no data rows: an empty delivery is refused, so a missing "
                                "extract is never mistaken for a period without events")
    _quarantine(con, contract, path, load_id)
    (rows_rejected,) = con.execute(f"select count(distinct source_row) from {REJECTED}").fetchone()
    delivery_slice = _delivery_slice(con, contract)
    superseded = _replace_earlier_deliveries(con, contract, delivery_slice)
    _insert(con, contract, load_id, key)
    rows_loaded = rows_read - rows_rejected
    (periods,) = con.execute(
        f"select string_agg(distinct {_period_label(contract)}, ',' order by {_period_label(contract)}) "
        f"from raw.{contract.table} where load_id = ?", [load_id]
    ).fetchone()
    _mark_superseded(con, superseded, load_id)
    con.execute(
        "insert into audit.loads values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', null, null, ?, ?)",
        [load_id, contract.partner, contract.feed, path.name, str(path.resolve()), digest, _delivered_at(path),
         periods, delivery_slice, rows_read, rows_loaded, rows_rejected, started, datetime.now()],
    )
    return LoadResult(load_id, path.name, contract.partner, contract.feed, "loaded", rows_read, rows_loaded,
                      rows_rejected, periods, tuple(superseded))


def _stage(con, contract: Contract, present: tuple[Column, ...], path: Path) -> None:
    """Every field as text, in file order, numbered; typing happens in SQL where failures can be named.
    Optional columns the file leaves out are staged as blanks."""
    columns = "{" + ", ".join(f"'{c.name}': 'VARCHAR'" for c in present) + "}"
    with utf8_copy(path, contract.encodings) as readable:
        try:
            con.execute(f"""
                create or replace temp table {STAGED} as
                select row_number() over () as source_row, *
                from read_csv(?, header = true, delim = ',', quote = '"', escape = '"', columns = {columns},
                              auto_detect = false, strict_mode = true, null_padding = false, encoding = 'utf-8')
            """, [str(readable)])
        except duckdb.Error as error:
            raise LoaderError(path, f"could not be read as CSV: {_first_line(error)}. Check the file is the partner's "
                                    "CSV extract, comma-delimited, with one record per line.") from None
    for column in contract.columns:
        if column not in present:
            con.execute(f"alter table {STAGED} add column {column.name} varchar")


def _insert(con, contract: Contract, load_id: int, key: PseudonymKey | None) -> None:
    postcodes = [c for c in contract.columns if c.personal == "postcode"]
    joins = "".join(
        f" left join (select {postcode_key_sql('postcode')} as postcode_key, any_value(lsoa_code) as lsoa_code "
        f"from raw.{POSTCODE_DIRECTORY.table} group by 1) as pc_{c.name} "
        f"on pc_{c.name}.postcode_key = {postcode_key_sql(c.name)}"
        for c in postcodes
    )
    con.execute(f"""
        insert into raw.{contract.table}
        select {', '.join(expression for c in contract.columns for expression in _stored(c))},
               {_period_month(contract)}, {load_id}, source_row
        from {STAGED}{joins}
        where source_row not in (select source_row from {REJECTED})
        order by source_row
    """, key.parameters() if needs_key(contract) else None)


def _stored(column: Column) -> tuple[str, ...]:
    if column.personal == "withhold":
        return ()
    if column.personal == "pseudonymise":
        return (pseudonym_sql(_typed(column)),)
    if column.personal == "postcode":
        outward = f"regexp_extract(upper(trim({column.name})), '^([A-Z]{{1,2}}[0-9][A-Z0-9]?) ?([0-9][A-Z]{{2}})?$', 1)"
        return (f"pc_{column.name}.lsoa_code", f"nullif({outward}, '')")
    return (_typed(column),)


def _quarantine(con, contract: Contract, path: Path, load_id: int) -> None:
    """Each problem with a row becomes one reject (a row may have several); the row is then not loaded."""
    record = "json_object(" + ", ".join(
        f"'{c.source}', " + (f"case when {c.name} is not null then '{WITHHELD}' end" if c.personal else c.name)
        for c in contract.columns) + ")"
    checks = [check for column in contract.columns for check in _column_checks(column)]
    if contract.coordinates:
        checks += _coordinate_checks(*(contract.column(n) for n in contract.coordinates))
    con.execute(f"create or replace temp table {REJECTED} (source_row bigint, column_name varchar, reason varchar)")
    for column, condition, reason in checks:
        con.execute(f"insert into {REJECTED} select source_row, ?, {reason} from {STAGED} where {condition}", [column])
    if contract.natural_key:
        _quarantine_repeated_keys(con, contract)
    con.execute(f"""
        insert into audit.rejects
        select {load_id}, ?, r.source_row, r.column_name, r.reason, {record}
        from {REJECTED} as r join {STAGED} using (source_row)
        order by r.source_row
    """, [path.name])


def _quarantine_repeated_keys(con, contract: Contract) -> None:
    """A key repeated within a delivery keeps its first row; later rows are quarantined, naming the first."""
    key = [contract.column(n) for n in contract.natural_key]
    values = ", ".join(f"nullif(trim({c.name}), '')" for c in key)
    headers = ", ".join(c.source for c in key)
    con.execute(f"""
        insert into {REJECTED}
        select source_row, ?, 'repeats the key (' || ? || ') of row ' || first_row
        from (
            select source_row, min(source_row) over (partition by {values}) as first_row
            from {STAGED}
            where {' and '.join(f'not {_blank(c.name)}' for c in key)}
        )
        where source_row <> first_row
    """, [headers, headers])


def _blank(name: str) -> str:
    return f"(nullif(trim({name}), '') is null)"


def _quoted(column: Column) -> str:
    return f"'''' || trim({column.name}) || ''''"


def _column_checks(column: Column) -> list[tuple[str, str, str]]:
    """(column, condition on the staged row, reason) for each way a value can be wrong.

    Personal data is checked only for presence, so no reason ever quotes it."""
    present = f"not {_blank(column.name)}"
    checks = []
    if column.required:
        checks.append((column.source, _blank(column.name), f"'{column.source} is blank but required'"))
    if column.type != "varchar" and column.type != "id":
        expected = {"double": "a number", "integer": "a whole number", "boolean": "True or False (or Y/N)",
                    "month": "a YYYY-MM month", "year": "a YYYY year"}.get(column.type)
        expected = expected or f"a {column.type} as {' or '.join(column.formats)}"
        checks.append((column.source, f"{present} and {_typed(column)} is null",
                       f"'{column.source} ' || {_quoted(column)} || ' is not {expected}'"))
    if column.values:
        allowed = ", ".join(f"'{v}'" for v in column.values)
        checks.append((column.source, f"{present} and cast({_typed(column)} as varchar) not in ({allowed})",
                       f"'{column.source} ' || {_quoted(column)} || ' is not a known code'"))
    return checks


def _coordinate_checks(longitude: Column, latitude: Column) -> list[tuple[str, str, str]]:
    lon, lat = (f"try_cast(trim({c.name}) as double)" for c in (longitude, latitude))
    return [
        (f"{longitude.source}/{latitude.source}", f"{_blank(longitude.name)} <> {_blank(latitude.name)}",
         f"'only one of {longitude.source} and {latitude.source} is given'"),
        (longitude.source, f"not ({lon} between -180 and 180)", f"'{longitude.source} ' || {_quoted(longitude)} || ' is out of range'"),
        (latitude.source, f"not ({lat} between -90 and 90)", f"'{latitude.source} ' || {_quoted(latitude)} || ' is out of range'"),
    ]


def _typed(column: Column) -> str:
    """The value in its contract type, or null when blank or not of that type (which _column_checks reports)."""
    value = f"nullif(trim({column.name}), '')"
    kind = column.type
    if kind == "varchar":
        return value
    if kind == "id":
        return f"regexp_replace({value}, '^([0-9]+)\\.0+$', '\\1')"
    if kind == "double":
        return f"try_cast({value} as double)"
    if kind == "integer":
        number = f"try_cast({value} as double)"
        return f"case when {number} = floor({number}) then cast({number} as bigint) end"
    if kind == "boolean":
        words = lambda w: ", ".join(f"'{x}'" for x in w)  # noqa: E731
        return (f"case when upper({value}) in ({words(TRUE_WORDS)}) then true "
                f"when upper({value}) in ({words(FALSE_WORDS)}) then false end")
    if kind == "month":
        return (f"case when regexp_full_match({value}, '[0-9]{{4}}-[0-9]{{2}}') "
                f"then try_strptime({value} || '-01', '%Y-%m-%d')::date end")
    if kind == "year":
        return f"case when regexp_full_match({value}, '[0-9]{{4}}') then cast({value} as integer) end"
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


def _period_month(contract: Contract) -> str:
    if contract.period is None:
        return "cast(null as date)"
    column = contract.column(contract.period)
    typed = _typed(column)
    if column.type == "year":
        return f"make_date({typed}, 1, 1)"
    return f"cast(date_trunc('month', {typed}) as date)"


def _period_format(contract: Contract) -> str:
    return "%Y" if contract.column(contract.period).type == "year" else "%Y-%m"


def _period_label(contract: Contract) -> str:
    if contract.period is None:
        return "cast(null as varchar)"
    return f"strftime(period_month, '{_period_format(contract)}')"


def _delivery_slice(con, contract: Contract) -> str | None:
    """What the delivery is for: the values of the contract's scope (the period, by default) holding most of its
    loadable rows, ties to the latest. Rows of other periods (a late record in the next month's file) stay part of
    this delivery without making it a delivery of their period. A contract with no scope (a reference lookup) is
    delivered whole, so each delivery replaces the one before."""
    values = [_slice_value(contract, name) for name in contract.delivery_scope] or ["'whole table'"]
    found = con.execute(f"""
        select concat_ws('|', {', '.join(values)}) from {STAGED}
        where source_row not in (select source_row from {REJECTED})
        group by all order by count(*) desc, 1 desc limit 1
    """).fetchone()
    return found[0] if found else None  # None: every row was refused, so the delivery replaces nothing


def _slice_value(contract: Contract, name: str) -> str:
    if name == "period_month":
        return f"strftime({_period_month(contract)}, '{_period_format(contract)}')"
    return f"coalesce(cast({_typed(contract.column(name))} as varchar), '')"


def _replace_earlier_deliveries(con, contract: Contract, delivery_slice: str | None) -> list[int]:
    """A new delivery of a slice replaces every earlier delivery of it, whole."""
    if delivery_slice is None:
        return []
    earlier = [row[0] for row in con.execute(
        "select load_id from audit.loads where partner = ? and feed = ? and delivery_slice = ? and status = 'loaded' "
        "order by load_id", [contract.partner, contract.feed, delivery_slice]).fetchall()]
    if earlier:
        con.execute(f"delete from raw.{contract.table} where load_id in ({', '.join(map(str, earlier))})")
    return earlier


def _mark_superseded(con, earlier: list[int], load_id: int) -> None:
    for previous in earlier:
        con.execute("update audit.loads set status = 'superseded', superseded_by = ?, message = ? where load_id = ?",
                    [load_id, f"replaced by load {load_id}, a later delivery of the same slice", previous])


def ensure_raw_table(con, contract: Contract) -> None:
    if contract is not POSTCODE_DIRECTORY and any(c.personal == "postcode" for c in contract.columns):
        ensure_raw_table(con, POSTCODE_DIRECTORY)
    columns = ", ".join(f"{name} {kind}" for c in contract.columns for name, kind in c.stored)
    con.execute(f"create table if not exists raw.{contract.table} ({columns}, period_month date, "
                "load_id bigint not null, source_row bigint not null)")


def _record_failure(con, contract: Contract, path: Path, load_id: int, digest: str, started: datetime, message: str) -> None:
    con.execute(
        "insert into audit.loads values (?, ?, ?, ?, ?, ?, ?, null, null, 0, 0, 0, 'failed', ?, null, ?, ?)",
        [load_id, contract.partner, contract.feed, path.name, str(path.resolve()), digest, _delivered_at(path),
         message, started, datetime.now()],
    )


def _sha256(path: Path) -> str:
    """Streamed, so a multi-gigabyte extract is never held in memory just to be recognised."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _delivered_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)


def _drop_working_tables(con) -> None:
    """The staged rows hold clear identifiers: they must not outlive the load, even in memory."""
    for table in (STAGED, REJECTED):
        con.execute(f"drop table if exists {table}")


def _rollback(con) -> None:
    try:
        con.execute("rollback")
    except duckdb.TransactionException:
        pass  # the failure came before the transaction began


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
