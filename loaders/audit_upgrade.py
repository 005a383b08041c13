"""Hubs whose audit.loads kept a load's periods and slice as text: converted in place, once, to the typed shape.

Such a hub lists a load's periods in `periods` ('2016-11,2016-12') and its slice in `delivery_slice`, the values of
its contract's delivery scope joined by '|' ('2016-12|Greater Manchester Police'). The first `hub ingest`, `build` or
`check` after the change reads them, with each feed's contract saying what the parts are, into audit.load_periods
and the slice columns, all in one transaction; this module is the only reader of those strings.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from loaders.contracts import PERIOD_LABELS, Contract
from loaders.registry import all_contracts

LEGACY_LOADS = "loads_with_text_periods"


class AuditUpgradeError(Exception):
    pass


def holds_text_periods(con: duckdb.DuckDBPyConnection) -> bool:
    (found,) = con.execute(
        "select count(*) from duckdb_columns() where database_name = current_database() and schema_name = 'audit' "
        "and table_name = 'loads' and column_name = 'delivery_slice'").fetchone()
    return found > 0


def upgrade_text_periods(con: duckdb.DuckDBPyConnection, audit_ddl: str) -> None:
    """audit.loads rebuilt in the shape audit_ddl creates, with audit.load_periods filled from the old text; every
    other column kept as it was. Nothing changes unless all of it converts."""
    con.execute("begin transaction")
    try:
        con.execute(f"alter table audit.loads rename to {LEGACY_LOADS}")
        con.execute(audit_ddl)
        slices, periods = _read_text(con)
        con.execute("create temp table _load_slices (load_id bigint, period_start date, period_grain varchar, "
                    "scope varchar)")
        if slices:
            con.executemany("insert into _load_slices values (?, ?, ?, ?)", slices)
        if periods:
            con.executemany("insert into audit.load_periods (load_id, period_start, period_grain, period_label) "
                            "values (?, ?, ?, ?)", periods)
        con.execute(f"""
            insert into audit.loads (load_id, partner, feed, file_name, file_path, sha256, delivered_at,
                slice_period_start, slice_period_grain, slice_scope, rows_read, rows_loaded, rows_rejected, status,
                message, superseded_by, started_at, finished_at)
            select legacy.load_id, legacy.partner, legacy.feed, legacy.file_name, legacy.file_path, legacy.sha256,
                legacy.delivered_at, slices.period_start, slices.period_grain, slices.scope, legacy.rows_read,
                legacy.rows_loaded, legacy.rows_rejected, legacy.status, legacy.message, legacy.superseded_by,
                legacy.started_at, legacy.finished_at
            from audit.{LEGACY_LOADS} as legacy
            left join _load_slices as slices using (load_id)
        """)
        con.execute(f"drop table audit.{LEGACY_LOADS}")
        con.execute("drop table _load_slices")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _read_text(con) -> tuple[list[tuple], list[tuple]]:
    """(load_id, period start, grain, scope) of each load's slice and (load_id, start, grain, label) of each of its
    periods, read by its feed's contract."""
    contracts = {(c.partner, c.feed): c for c in all_contracts()}
    slices, periods = [], []
    for load_id, partner, feed, listed, delivery_slice in con.execute(
            f"select load_id, partner, feed, periods, delivery_slice from audit.{LEGACY_LOADS} "
            "where periods is not null or delivery_slice is not null order by load_id").fetchall():
        contract = contracts.get((partner, feed))
        if contract is None:
            raise AuditUpgradeError(
                f"audit.loads: load {load_id} ({partner}/{feed}) lists periods or a delivery slice, and the hub has "
                f"no {partner}/{feed} contract to read them by, so the audit tables cannot be converted to this "
                "version's shape. Run the version of the hub that loaded it, or remove the load.")
        if delivery_slice is not None:
            slices.append((load_id, *_slice(contract, delivery_slice)))
        for label in listed.split(",") if listed else ():
            periods.append((load_id, _period_start(label, contract.period_grain), contract.period_grain, label))
    return slices, periods


def _slice(contract: Contract, text: str) -> tuple[date | None, str | None, str | None]:
    """The old slice was the scope's values in the contract's order, '|' between them ('whole table' for none)."""
    scope = contract.delivery_scope
    values = dict(zip(scope, text.split("|", len(scope) - 1))) if scope else {}
    period = values.get(contract.slice_period)
    grain = contract.slice_period_grain
    return (_period_start(period, grain) if period else None, grain if period else None,
            values.get(contract.slice_scope) or None)


def _period_start(label: str, grain: str) -> date:
    return datetime.strptime(label, PERIOD_LABELS[grain]).date()
