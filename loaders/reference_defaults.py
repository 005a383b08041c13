"""Loading the reference data a hub needs before its first build (reference/manifest.toml, `load = true`).

Each file goes through the contract engine like any delivery (audit.loads, audit.rejects, rows read = loaded +
rejected). A feed the hub already holds is left alone, so a partnership's own later delivery (say a newer lookup,
`hub ingest reference FILE`) is never overwritten by the default. The DfT guide is a workbook, not a CSV: its code
list is written out as a CSV under $HUB_HOME first, and that is what the stats19_codes feed loads.
"""

from __future__ import annotations

from pathlib import Path

from loaders.engine import LoadResult, load_file
from loaders.reference import STATS19_CODES
from loaders.reference_data import manifest, reference_file
from loaders.registry import detect_contract
from loaders.stats19_guide import write_codes
from warehouse.audit import ensure_audit_schema
from warehouse.database import connect
from warehouse.paths import HubPaths


def derived_dir(paths: HubPaths) -> Path:
    return paths.home / "reference-derived"


def load_reference_defaults(paths: HubPaths) -> list[LoadResult]:
    con = connect(paths.working_db)
    try:
        ensure_audit_schema(con)
        held = {feed for (feed,) in con.execute(
            "select distinct feed from audit.loads where partner = 'reference' and status = 'loaded'").fetchall()}
        results = []
        for entry in (e for e in manifest() if e.load):
            path = reference_file(entry.path, paths)
            if path.suffix == ".xlsx":
                if STATS19_CODES.feed in held:
                    continue
                path = write_codes(path, derived_dir(paths) / "stats19_codes.csv")
            contract = detect_contract("reference", path)
            if contract.feed not in held:
                results.append(load_file(con, contract, path))
        return results
    finally:
        con.close()
