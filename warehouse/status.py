"""What the hub holds: loads per feed, the latest quality run, and what is published."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table

from warehouse.database import connect
from warehouse.paths import HubPaths


def describe(paths: HubPaths) -> list[Table]:
    if not paths.working_db.exists():
        empty = Table(title="Nothing loaded yet")
        empty.add_column("next step")
        empty.add_row("hub ingest police FILE...  or  hub demo")
        return [empty]
    con = connect(paths.working_db, read_only=True)
    try:
        tables = [_loads(con), _reference(con), _quality(con)]
    finally:
        con.close()
    if paths.published_db.exists():
        published = connect(paths.published_db, read_only=True)
        try:
            tables.append(_published(published, paths))
        finally:
            published.close()
    return tables


def _loads(con) -> Table:
    table = Table(title="Loads by feed (audit.loads)")
    for column in ("partner", "feed", "status", "files", "rows read", "loaded", "rejected", "first period", "last period"):
        table.add_column(column)
    for row in con.execute("""
        select partner, feed, status, count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected),
               min(periods), max(periods)
        from audit.loads group by all order by all
    """).fetchall():
        table.add_row(*[f"{v:,}" if isinstance(v, int) else str(v or "") for v in row])
    return table


# Reference feeds whose coverage of Greater Manchester is measured: vintage, and the LSOA column and vintage
# (2011 or 2021) their rows are keyed by.
REFERENCE_COVERAGE = {
    "population_mid2016": ("mid-2016", "lsoa11cd", "2011"),
    "population_mid2019": ("mid-2019", "lsoa11cd", "2011"),
    "population_mid2020": ("mid-2020", "lsoa11cd", "2011"),
    "census2021_residents": ("Census 2021", "lsoa21cd", "2021"),
    "census2021_households": ("Census 2021", "lsoa21cd", "2021"),
    "imd2015_domains": ("IMD 2015", "lsoa11cd", "2011"),
    "lsoa11_lsoa21": ("2011 -> 2021", "lsoa11cd", "2011"),
}
GM_LSOAS = {"2011": "select distinct lsoa11cd as code from raw.reference_oa11_lookup",
            "2021": "select distinct lsoa21cd as code from raw.reference_lsoa21_wards"}


def _reference(con) -> Table:
    """Each reference feed held: its file, vintage, rows, and the share of Greater Manchester's LSOAs it covers."""
    table = Table(title="Reference data (audit.loads, partner reference)")
    for column in ("feed", "file", "vintage", "rows", "GM LSOAs covered"):
        table.add_column(column)
    for feed, file_name, rows in con.execute("""
        select feed, file_name, rows_loaded from audit.loads
        where partner = 'reference' and status = 'loaded' and feed <> 'postcode_directory' order by feed
    """).fetchall():
        vintage, code, geography = REFERENCE_COVERAGE.get(feed, ("", None, None))
        coverage = ""
        if code:
            covered, total = con.execute(
                f"select count(*) filter (where code in (select {code} from raw.reference_{feed})), count(*) "
                f"from ({GM_LSOAS[geography]})").fetchone()
            coverage = f"{covered:,} of {total:,}"
        table.add_row(feed, file_name, vintage, f"{rows:,}", coverage)
    return table


def _quality(con) -> Table:
    table = Table(title="Latest quality run (audit.dq_results)")
    for column in ("run", "severity", "passed", "failed"):
        table.add_column(column)
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
