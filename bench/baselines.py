"""The ingest baseline: the same files into a fresh database with DuckDB alone, no contracts.

One `create table … as select * from read_csv([...], union_by_name = true)` per feed, a feed being the files of a
partner's folder that share a header line, so each table holds what one raw.* table holds. DuckDB infers the types
and reads the files in parallel; nothing is checked, rejected, pseudonymised or audited. The connection has the
hub's limits (loaders.database: HUB_MEMORY_LIMIT, HUB_THREADS) and spills to tmp/ beside the database.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from loaders.database import connect

BOM = "\ufeff"


def bare_ingest(database: Path, folder: Path) -> None:
    con = connect(database, temp_directory=database.parent / "tmp")
    try:
        for table, files in feeds(folder).items():
            con.execute(f"create table {table} as select * from read_csv(?, union_by_name = true)",
                        [[str(f) for f in files]])
    finally:
        con.close()


def feeds(folder: Path) -> dict[str, list[Path]]:
    """Files under folder/<partner>/ (as `hub ingest DIR` finds them) by partner and header line, as tables named
    <partner>_<n>."""
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in sorted(folder.glob("*/**/*")):
        if path.is_file() and not path.name.startswith("."):
            with path.open(encoding="utf-8", errors="replace") as f:
                groups[(path.relative_to(folder).parts[0], f.readline().strip().removeprefix(BOM))].append(path)
    return {f"{partner}_{n}": files for n, ((partner, _), files) in enumerate(sorted(groups.items()))}
