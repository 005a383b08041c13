"""Small police.uk street deliveries written for a test, and the checks that audit.loads agrees with raw.*."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from loaders.contracts import Contract
from loaders.police_uk import POLICE_UK_STREET

HEADER = ",".join(POLICE_UK_STREET.headers)


def street_row(month: str, crime_type: str = "Burglary", location: str = "On or near X") -> str:
    return (f"abc123,{month},Greater Manchester Police,Greater Manchester Police,-2.46,53.62,{location},E01004768,"
            f"Bolton 001A,{crime_type},Under investigation,")


def street_file(folder: Path, name: str, month: str, rows: int, *, crime_type: str = "Burglary",
                delivered: float | None = None) -> Path:
    """A month of GMP street crime, `rows` records with distinct ids, delivered (file time) when given."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    lines = [HEADER] + [street_row(month, crime_type).replace("abc123", f"c{i:06d}", 1) for i in range(rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    if delivered is not None:
        os.utime(path, (delivered, delivered))
    return path


def audit_problems(db: Path, contracts: tuple[Contract, ...] = (POLICE_UK_STREET,)) -> list[str]:
    """Every way audit.loads and the contracts' raw tables can disagree; empty when they are consistent."""
    raw = " union all ".join(f"select load_id from raw.{c.table}" for c in contracts)
    con = duckdb.connect(str(db), read_only=True)
    try:
        checks = {
            "a load id is repeated":
                "select load_id from audit.loads group by 1 having count(*) > 1",
            "rows read is not rows loaded plus rows rejected":
                "select load_id from audit.loads where rows_read <> rows_loaded + rows_rejected",
            "a live load's rows in raw are not its rows loaded":
                "select l.load_id from audit.loads as l left join (select load_id, count(*) as n "
                f"from ({raw}) group by 1) as r using (load_id) "
                "where l.status = 'loaded' and coalesce(r.n, 0) <> l.rows_loaded",
            "raw holds rows of a load that is not live":
                f"select distinct load_id from ({raw}) "
                "where load_id not in (select load_id from audit.loads where status = 'loaded')",
            "a slice has more than one live delivery":
                "select partner, feed, slice_period_start, slice_scope from audit.loads "
                "where status = 'loaded' and rows_loaded > 0 group by all having count(*) > 1",
            "a superseded load names no live successor":
                "select load_id from audit.loads where status = 'superseded' and superseded_by is null",
        }
        return [f"{problem}: {found}" for problem, sql in checks.items() if (found := con.execute(sql).fetchall())]
    finally:
        con.close()


def live_files(db: Path) -> dict[str, str]:
    """slice (its period's first day, its scope) -> the file name of its live delivery."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {(period, scope): name for period, scope, name in con.execute(
            "select slice_period_start, slice_scope, file_name from audit.loads where status = 'loaded'").fetchall()}
    finally:
        con.close()
