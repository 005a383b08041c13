"""One engine for every contract: read with DuckDB, quarantine bad rows, load the rest, audit it, in one transaction.

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
from dataclasses import astuple, dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from loaders.audit import ensure_audit_schema
from loaders.contracts import MAX_LINE_BYTES, PERIOD_LABELS, PERIOD_MONTH, WITHHELD, Column, Contract
from loaders.database import sql_literal
from loaders.encoding import utf8_copy
from loaders.errors import LoaderError
from loaders.geojson import features, staged_features_sql
from loaders.placement import PLACED_COLUMNS, placed_points_sql, polygons_loaded
from loaders.pseudonyms import PseudonymKey, pseudonym_sql
from loaders.reference import (GM_LSOA21_BOUNDARIES, LSOA21_BOUNDARIES, POSTCODE_CENTROIDS, POSTCODE_DIRECTORY,
                               postcode_key_sql, postcode_lsoas_sql)
from loaders.registry import read_fields
from loaders.scan import FileScan, count_records, scan
from loaders.spatial import load_spatial

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


def needs_key(contract: Contract) -> bool:
    return any(c.personal == "pseudonymise" for c in contract.columns)


def geocodes_postcodes(contract: Contract) -> bool:
    return any(c.personal == "postcode" for c in contract.columns)


def needs_spatial(contract: Contract) -> bool:
    return contract.placed_in_lsoas or any(c.type == "polygon" for c in contract.columns)


def load_file(con: duckdb.DuckDBPyConnection, contract: Contract, path: Path,
              key: PseudonymKey | None = None, *, reload: bool = False) -> LoadResult:
    """Bytes loaded before (live or since superseded) are skipped, unless reload asks for them again."""
    if needs_key(contract) and key is None:
        raise ValueError(f"the {contract.feed} contract pseudonymises identifiers: load it with the partnership's key")
    ensure_audit_schema(con)
    ensure_raw_table(con, contract)
    started = datetime.now()
    scanned = scan(path, contract.max_line_bytes)
    earlier = con.execute(
        "select load_id, rows_read, rows_loaded, rows_rejected from audit.loads "
        "where partner = ? and feed = ? and sha256 = ? and status in ('loaded', 'superseded') "
        "order by load_id desc limit 1",
        [contract.partner, contract.feed, scanned.sha256],
    ).fetchone()
    if earlier and not reload:
        load_id, read, loaded, rejected = earlier
        return LoadResult(load_id, path.name, contract.partner, contract.feed, "skipped", read, loaded, rejected,
                          _period_labels(con, load_id))
    note = f"reloaded as asked (--reload): the same bytes as load {earlier[0]}" if earlier else None
    try:
        _refuse_long_lines(path, contract, scanned)
        present = contract.present_columns(read_fields(path, contract))
        if present is None:
            raise LoaderError(path, f"the header is not the {contract.feed} contract's", row=1)
        if needs_spatial(contract):
            load_spatial(con)
        if contract.placed_in_lsoas and not polygons_loaded(con):
            raise LoaderError(path, f"places its points in the 2021 LSOA polygons, and none are loaded: load the "
                                    f"LSOA boundaries first ({GM_LSOA21_BOUNDARIES.feed} or {LSOA21_BOUNDARIES.feed})")
        con.execute("begin transaction")
        result = _load(con, contract, present, path, scanned, started, key, note)
        con.execute("commit")
        return result
    except LoaderError as error:
        _rollback(con)
        record_refusal(con, contract.partner, contract.feed, path, str(error), scanned.sha256, started)
        raise
    except BaseException:
        _rollback(con)
        raise
    finally:
        _drop_working_tables(con)


def _load(con, contract: Contract, present: tuple[Column, ...], path: Path, scanned: FileScan, started: datetime,
          key: PseudonymKey | None, note: str | None) -> LoadResult:
    load_id = _next_load_id(con)
    rows_read = _stage(con, contract, present, path, scanned)
    _quarantine(con, contract, path, load_id)
    (rows_rejected,) = con.execute(f"select count(distinct source_row) from {REJECTED}").fetchone()
    rows_loaded = rows_read - rows_rejected
    delivery_slice = _delivery_slice(con, contract)
    delivered_at = _delivered_at(path)
    newer = None if note else _newer_live_delivery(con, contract, delivery_slice, delivered_at)
    if newer:
        status, superseded = "superseded", []
        note = (f"kept out: delivered {delivered_at:%Y-%m-%d %H:%M:%S}, before load {newer[0]} of the same slice "
                f"({newer[1]:%Y-%m-%d %H:%M:%S}), which stays live; hub ingest --reload makes this file live")
    else:
        status = "loaded"
        superseded = _replace_earlier_deliveries(con, contract, delivery_slice)
        _insert(con, contract, load_id, key)
        _mark_superseded(con, superseded, load_id)
    con.execute(
        "insert into audit.loads (load_id, partner, feed, file_name, file_path, sha256, delivered_at, "
        "slice_period_start, slice_period_grain, slice_scope, rows_read, rows_loaded, rows_rejected, status, message, "
        "superseded_by, started_at, finished_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, contract.partner, contract.feed, path.name, str(path.resolve()), scanned.sha256, delivered_at,
         *(astuple(delivery_slice) if delivery_slice else (None, None, None)), rows_read, rows_loaded,
         rows_rejected, status, note, newer[0] if newer else None, started, datetime.now()],
    )
    _record_periods(con, contract, load_id, inserted=not newer)
    return LoadResult(load_id, path.name, contract.partner, contract.feed, status, rows_read, rows_loaded,
                      rows_rejected, _period_labels(con, load_id), tuple(superseded))


def _next_load_id(con) -> int:
    """Taken inside the load's transaction, from the loads themselves: after a crash DuckDB 1.5.6 can hand out a
    sequence's last value again, and every later load would then fail on the duplicate id."""
    (load_id,) = con.execute("select coalesce(max(load_id), 0) + 1 from audit.loads").fetchone()
    return load_id


def _refuse_long_lines(path: Path, contract: Contract, scanned: FileScan) -> None:
    if scanned.first_long_line:
        line, length = scanned.first_long_line
        raise LoaderError(path, f"is {length / (1 << 20):,.1f} MB long, longer than any {contract.feed} record can be "
                                f"({contract.max_line_bytes / (1 << 20):g} MB at most): a field has run on or other "
                                "data has been pasted in. Ask the partner for a clean extract.", row=line)


def _stage(con, contract: Contract, present: tuple[Column, ...], path: Path, scanned: FileScan) -> int:
    """Every field as text, in file order, numbered, beside its value in the contract's type (null where blank or not
    of that type), typed once here, in the same read, for the checks, the insert and the slice to share; the text
    stays for the checks to tell a blank from a bad value and to name it. Optional columns the file leaves out are
    staged as blanks. Returns the rows read, checked against the file's own count of records so that none can go
    missing in the reader."""
    rows_read = (_stage_geojson if contract.format == "geojson" else _stage_csv)(con, contract, present, path, scanned)
    if rows_read == 0:
        raise LoaderError(path, "has a header but no data rows: an empty delivery is refused, so a missing "
                                "extract is never mistaken for a period without events")
    return rows_read


def _staging_sql(contract: Contract, present: tuple[Column, ...], reader: str) -> str:
    """The staged table from a reader's numbered text fields: the absent columns added as blanks, then each typed."""
    absent = "".join(f", cast(null as varchar) as {c.name}" for c in contract.columns if c not in present)
    typed = ", ".join(f"{_typing(c)} as {_typed(c)}" for c in contract.columns)
    return f"create or replace temp table {STAGED} as select *, {typed} from (select *{absent} from ({reader}))"


def _stage_geojson(con, contract: Contract, present: tuple[Column, ...], path: Path, scanned: FileScan) -> int:
    expected = len(features(path))
    try:
        con.execute(_staging_sql(contract, present, staged_features_sql(present)), [str(path)])
    except duckdb.Error as error:
        raise LoaderError(path, f"could not be read as GeoJSON: {str(error).strip().splitlines()[0]}") from None
    (rows_read,) = con.execute(f"select count(*) from {STAGED}").fetchone()
    if rows_read != expected:
        raise LoaderError(path, f"holds {expected:,} features but only {rows_read:,} could be read, so it is refused "
                                "whole rather than loaded short")
    return rows_read


def _stage_csv(con, contract: Contract, present: tuple[Column, ...], path: Path, scanned: FileScan) -> int:
    columns = "{" + ", ".join(f"{sql_literal(c.name)}: 'VARCHAR'" for c in present) + "}"
    with utf8_copy(path, contract.encodings, scanned.is_utf8) as readable:
        try:
            con.execute(_staging_sql(contract, present, f"""
                select row_number() over () as source_row, *
                from read_csv(?, header = true, delim = ',', quote = '"', escape = '"', columns = {columns},
                              auto_detect = false, strict_mode = true, null_padding = false, encoding = 'utf-8')
            """), [str(readable)])
        except duckdb.Error as error:
            line, problem = _csv_problem(error)
            raise LoaderError(path, f"could not be read as CSV: {problem}. Check the file is the partner's CSV "
                                    "extract, comma-delimited, with one record per line.", row=line) from None
        (rows_read,) = con.execute(f"select count(*) from {STAGED}").fetchone()
        # Lines and rows agree unless a quoted field spans lines or a line is blank; only then are records counted.
        records = scanned.lines if scanned.lines == rows_read + 1 else count_records(readable)
    if records != rows_read + 1:
        raise LoaderError(path, f"holds {records - 1:,} records after its header but only {rows_read:,} could be "
                                "read, so it is refused whole rather than loaded short. Check the file is complete "
                                "and each record is on one line.")
    return rows_read


def _insert(con, contract: Contract, load_id: int, key: PseudonymKey | None) -> None:
    postcodes = [c for c in contract.columns if c.personal == "postcode"]
    joins = "".join(_postcode_join(c) for c in postcodes)
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
               {_period_month(contract)}, $load_id, source_row{placed}
        from {STAGED}{joins}
        where source_row not in (select source_row from {REJECTED})
        order by source_row
    """, {**(key.parameters() if needs_key(contract) else {}), "load_id": load_id})


def _postcode_join(column: Column) -> str:
    """The staged postcodes of `column` joined to their LSOAs, looked up among the file's own postcodes."""
    key = postcode_key_sql(column.name)
    lookup = postcode_lsoas_sql(f"select {key} from {STAGED}")
    return f" left join ({lookup}) as pc_{column.name} on pc_{column.name}.postcode_key = {key}"


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
        f"{sql_literal(c.source)}, " + (f"case when {c.name} is not null then {sql_literal(WITHHELD)} end" if c.personal
                                     else c.name)
        for c in contract.columns) + ")"
    checks = [check for column in contract.columns for check in _column_checks(column)]
    if contract.coordinates:
        checks += _coordinate_checks(*(contract.column(n) for n in contract.coordinates))
    con.execute(f"create or replace temp table {REJECTED} (source_row bigint, column_name varchar, reason varchar)")
    if checks:
        # One scan for every check: a statement costs ~1 ms before it reads a row, and a file has up to 30 checks.
        # Only the rows failing one have their reasons listed: building the list costs more than testing them.
        failures = ", ".join(
            f"case when {condition} then {{'column_name': {sql_literal(column)}, 'reason': {reason}}} end"
            for column, condition, reason in checks)
        failing = " or ".join(f"({condition})" for _, condition, _ in checks)
        con.execute(f"""
            insert into {REJECTED}
            select source_row, failure.column_name, failure.reason
            from (select source_row, unnest(list_filter([{failures}], f -> f is not null)) as failure
                  from {STAGED} where {failing})
        """)
    if contract.natural_key:
        _quarantine_repeated_keys(con, contract)
    con.execute(f"""
        insert into audit.rejects
        select ?, ?, r.source_row, r.column_name, r.reason, {record}
        from {REJECTED} as r join {STAGED} using (source_row)
        order by r.source_row
    """, [load_id, path.name])


def _quarantine_repeated_keys(con, contract: Contract) -> None:
    """A key repeated within a delivery keeps its first row; later rows are quarantined, naming the first."""
    key = [contract.column(n) for n in contract.natural_key]
    values = ", ".join(_text(c.name) for c in key)
    headers = ", ".join(c.source for c in key)
    con.execute(f"""
        insert into {REJECTED}
        select source_row, ?, 'repeats the key (' || ? || ') of row ' || first_row
        from (
            select source_row, min(source_row) over (partition by {values}) as first_row
            from {STAGED}
            where {' and '.join(f'not {_blank(c)}' for c in key)}
        )
        where source_row <> first_row
    """, [headers, headers])


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


def _record_periods(con, contract: Contract, load_id: int, inserted: bool) -> None:
    """The periods the delivery's loadable rows fall in, one row each in audit.load_periods: from its raw rows, typed
    already, or, for a delivery kept out of raw.*, from its staged rows (five times slower, parsing the text again)."""
    if contract.period is None:
        return
    rows = f"raw.{contract.table} where load_id = $load_id" if inserted else (
        f"(select {_period_month(contract)} as period_month from {STAGED} "
        f"where source_row not in (select source_row from {REJECTED}))")
    con.execute(f"""
        insert into audit.load_periods (load_id, period_start, period_grain, period_label)
        select distinct $load_id, period_month, $grain, strftime(period_month, $label) from {rows}
    """, {"load_id": load_id, "grain": contract.period_grain, "label": PERIOD_LABELS[contract.period_grain]})


def _period_labels(con, load_id: int) -> tuple[str, ...]:
    return tuple(label for (label,) in con.execute(
        "select period_label from audit.load_periods where load_id = ? order by period_start", [load_id]).fetchall())


def _delivery_slice(con, contract: Contract) -> DeliverySlice | None:
    """What the delivery is for: the period and scope of the contract's delivery scope (the period, by default)
    holding most of its loadable rows, ties to the latest. Rows of other periods (a late record in the next month's
    file) stay part of this delivery without making it a delivery of their period. A contract with no scope (a
    reference lookup) is delivered whole, so each delivery replaces the one before."""
    period = contract.slice_period
    period_start = ("cast(null as date)" if period is None
                    else _period_month(contract) if period == PERIOD_MONTH else _month_start(contract.column(period)))
    scope = (f"cast({_typed(contract.column(contract.slice_scope))} as varchar)" if contract.slice_scope
             else "cast(null as varchar)")
    found = con.execute(f"""
        select {period_start}, {scope} from {STAGED}
        where source_row not in (select source_row from {REJECTED})
        group by all order by count(*) desc, 1 desc nulls last, 2 desc nulls last limit 1
    """).fetchone()
    if found is None:
        return None  # every row was refused, so the delivery replaces nothing
    return DeliverySlice(found[0], contract.slice_period_grain, found[1])


# An earlier live delivery of the same slice. One that loaded no rows is for no slice and is never replaced.
SAME_SLICE = ("partner = ? and feed = ? and slice_period_start is not distinct from ? "
              "and slice_scope is not distinct from ? and rows_loaded > 0 and status = 'loaded'")


def _newer_live_delivery(con, contract: Contract, delivery_slice: DeliverySlice | None,
                         delivered_at: datetime) -> tuple[int, datetime] | None:
    """The live delivery of the slice when it was delivered after this file: an older file found late (or named
    after the newer one) must not undo a correction."""
    if delivery_slice is None:
        return None
    return con.execute(
        f"select load_id, delivered_at from audit.loads where {SAME_SLICE} and delivered_at > ? "
        "order by delivered_at desc, load_id desc limit 1",
        [contract.partner, contract.feed, delivery_slice.period_start, delivery_slice.scope, delivered_at]).fetchone()


def _replace_earlier_deliveries(con, contract: Contract, delivery_slice: DeliverySlice | None) -> list[int]:
    """A new delivery of a slice replaces every earlier delivery of it, whole."""
    if delivery_slice is None:
        return []
    earlier = [row[0] for row in con.execute(
        f"select load_id from audit.loads where {SAME_SLICE} order by load_id",
        [contract.partner, contract.feed, delivery_slice.period_start, delivery_slice.scope]).fetchall()]
    if earlier:
        con.execute(f"delete from raw.{contract.table} where list_contains(?, load_id)", [earlier])
    return earlier


def _mark_superseded(con, earlier: list[int], load_id: int) -> None:
    for previous in earlier:
        con.execute("update audit.loads set status = 'superseded', superseded_by = ?, message = ? where load_id = ?",
                    [load_id, f"replaced by load {load_id}, a later delivery of the same slice", previous])


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
                   started: datetime | None = None) -> None:
    """Every refused attempt is audited, with the message the partner's file was refused with (which never quotes a
    personal value). Its id, like a load's, comes from the loads themselves within the one statement."""
    ensure_audit_schema(con)
    con.execute(
        "insert into audit.loads (load_id, partner, feed, file_name, file_path, sha256, delivered_at, rows_read, "
        "rows_loaded, rows_rejected, status, message, started_at, finished_at) "
        "select coalesce(max(load_id), 0) + 1, ?, ?, ?, ?, ?, ?, 0, 0, 0, 'failed', ?, ?, ? from audit.loads",
        [partner, feed, path.name, str(path.resolve()), digest or scan(path, MAX_LINE_BYTES).sha256,
         _delivered_at(path), message, started or datetime.now(), datetime.now()],
    )


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
