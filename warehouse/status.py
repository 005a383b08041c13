"""What the hub holds: loads per feed, the latest quality run, and what is published."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table

from loaders.database import connect
from warehouse.area import current_area
from warehouse.paths import HubPaths


def describe(paths: HubPaths) -> list[Table]:
    if not paths.working_db.exists():
        empty = Table(title="Nothing loaded yet")
        empty.add_column("next step")
        empty.add_row("hub ingest police FILE...  or  hub demo")
        return [empty]
    con = connect(paths.working_db, read_only=True)
    try:
        tables = [t for t in (_area(paths), _loads(con), _live_deliveries(con), _reference(con), _quality(con))
                  if t is not None]
    finally:
        con.close()
    if paths.published_db.exists():
        published = connect(paths.published_db, read_only=True)
        try:
            tables.append(_published(published, paths))
        finally:
            published.close()
    return tables


def _area(paths: HubPaths) -> Table:
    area = current_area(paths)
    table = Table(title="Partnership area (hub area)")
    for column in ("area", "code", "kind", "wards"):
        table.add_column(column)
    table.add_row(area.name, area.code, area.kind,
                  "Greater Manchester's 2022 wards" if area.lookup == "gm" else "2024 wards of the national lookup")
    return table


def _loads(con) -> Table:
    table = Table(title="Loads by feed (audit.loads)")
    for column in ("partner", "feed", "status", "files", "rows read", "loaded", "rejected", "first period", "last period"):
        table.add_column(column)
    for row in con.execute("""
        select loads.partner, loads.feed, loads.status, count(*), sum(loads.rows_read), sum(loads.rows_loaded),
               sum(loads.rows_rejected), min(periods.first_period), max(periods.last_period)
        from audit.loads
        left join (select load_id, min(period_label) as first_period, max(period_label) as last_period
                   from audit.load_periods group by load_id) as periods using (load_id)
        group by all order by all
    """).fetchall():
        table.add_row(*[f"{v:,}" if isinstance(v, int) else str(v or "") for v in row])
    return table


def _live_deliveries(con) -> Table:
    """Which delivery is live for each slice (a feed's month, or force and month): the one raw.* holds."""
    table = Table(title="Live delivery per slice (audit.loads)")
    for column in ("partner", "feed", "period", "scope", "load", "file", "delivered", "loaded", "superseded"):
        table.add_column(column)
    for row in con.execute("""
        select live.partner, live.feed,
               case live.slice_period_grain when 'year' then strftime(live.slice_period_start, '%Y')
                    else strftime(live.slice_period_start, '%Y-%m') end,
               live.slice_scope, live.load_id, live.file_name, strftime(live.delivered_at, '%Y-%m-%d %H:%M'),
               live.rows_loaded, (select count(*) from audit.loads as old where old.superseded_by = live.load_id)
        from audit.loads as live
        where live.status = 'loaded' and live.rows_loaded > 0  -- a delivery none of whose rows loaded has no slice
        order by all
    """).fetchall():
        table.add_row(*[f"{v:,}" if isinstance(v, int) else str(v or "") for v in row])
    return table


def _reference(con) -> Table | None:
    """The reference data held, from marts.dq_reference_data (so once the hub has been built)."""
    built = con.execute("select count(*) from information_schema.tables "
                        "where table_schema = 'marts' and table_name = 'dq_reference_data'").fetchone()[0]
    if not built:
        return None
    table = Table(title="Reference data (marts.dq_reference_data)")
    for column in ("feed", "file", "vintage", "rows", "refused", "GM LSOAs covered"):
        table.add_column(column)
    for feed, file_name, vintage, rows, refused, covered, total in con.execute("""
        select feed, file_name, vintage, rows_loaded, rows_rejected, gm_lsoas_covered, gm_lsoas
        from marts.dq_reference_data order by feed
    """).fetchall():
        coverage = f"{covered:,} of {total:,}" if total else ""
        table.add_row(feed, file_name, vintage or "", f"{rows:,}", f"{refused:,}", coverage)
    return table


def _quality(con) -> Table:
    table = Table(title="Latest quality run (audit.dq_results)")
    for column in ("run", "severity", "passed", "failed"):
        table.add_column(column)
    checked = con.execute("select count(*) from information_schema.tables "
                          "where table_schema = 'audit' and table_name = 'dq_results'").fetchone()[0]
    if not checked:
        return table  # the hub has loaded but never built or checked: the warehouse's records are not there yet
    for row in con.execute("""
        select run_id, severity, count(*) filter (where success), count(*) filter (where not success)
        from audit.dq_results
        where run_at = (select max(run_at) from audit.dq_results)
        group by all order by all
    """).fetchall():
        table.add_row(*[str(v) for v in row])
    return table


def _published(con, paths: HubPaths) -> Table:
    modified = datetime.fromtimestamp(paths.published_db.stat().st_mtime).isoformat(timespec="seconds")
    table = Table(title=f"Published {paths.published_db} ({modified})")
    table.add_column("mart")
    table.add_column("rows", justify="right")
    for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall():
        (count,) = con.execute(f'select count(*) from marts."{name}"').fetchone()
        table.add_row(name, f"{count:,}")
    return table
