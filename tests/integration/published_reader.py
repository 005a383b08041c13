"""A reader in its own process, counting incidents in the published file read-only until a stop file appears.

mode 'held': one connection opened at the start and kept (an analyst's open session).
mode 'fresh': a new connection per query (how Superset and most BI tools read). It must be its own process:
DuckDB shares one instance per file within a process, so beside a held connection it would never reopen the file.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

QUERY = "select count(*) from marts.fct_incidents"
DEADLINE_SECONDS = 300


def main(mode: str, published: Path, stop: Path, report: Path) -> None:
    seen: dict[str, list] = {"counts": [], "errors": []}
    held = duckdb.connect(str(published), read_only=True) if mode == "held" else None
    report.with_suffix(".ready").touch()
    started = time.monotonic()
    while not stop.exists() and time.monotonic() - started < DEADLINE_SECONDS:
        try:
            con = held or duckdb.connect(str(published), read_only=True)
            seen["counts"].append(con.execute(QUERY).fetchone()[0])
            if con is not held:
                con.close()
        except duckdb.Error as error:
            seen["errors"].append(str(error))
        time.sleep(0.05)
    if held:
        held.close()
    report.write_text(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
