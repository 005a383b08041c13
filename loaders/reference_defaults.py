"""Loading the reference data a hub needs before its first build (reference/manifest.toml, `load = true`).

Each file goes through the contract engine like any delivery (audit.loads, audit.rejects, rows read = loaded +
rejected). A feed the hub already holds is left alone, so a partnership's own later delivery (say a newer lookup,
`hub ingest reference FILE`) is never overwritten by the default. The DfT guide is a workbook, not a CSV: its code
list is written out as a CSV under $HUB_HOME first, and that is what the stats19_codes feed loads.
"""

from __future__ import annotations

from pathlib import Path

from loaders.audit import ensure_audit_schema
from loaders.database import connect_for_loading
from loaders.engine import LoadResult, load_file
from loaders.reference import GM_LSOA21_BOUNDARIES, POSTCODE_CENTROIDS, STATS19_CODES
from loaders.reference_data import manifest, reference_file
from loaders.registry import detect_contract
from loaders.stats19_guide import write_codes


def derived_dir(home: Path) -> Path:
    return home / "reference-derived"


# What postcodes are geocoded with at the door: the polygons, then the postcodes placed in them as they load.
GEOCODING_FEEDS = (GM_LSOA21_BOUNDARIES.feed, POSTCODE_CENTROIDS.feed)


def load_geocoding_defaults(working_db: Path, home: Path) -> list[LoadResult]:
    return load_reference_defaults(working_db, home, feeds=GEOCODING_FEEDS)


def load_reference_defaults(working_db: Path, home: Path, feeds: tuple[str, ...] | None = None) -> list[LoadResult]:
    """The manifest's `load = true` files the hub (its database and runtime folder) does not hold yet, in the
    manifest's order (or only those of the feeds named)."""
    con = connect_for_loading(working_db)
    try:
        ensure_audit_schema(con)
        held = {feed for (feed,) in con.execute(
            "select distinct feed from audit.loads where partner = 'reference' and status = 'loaded'").fetchall()}
        def wanted(feed: str) -> bool:
            return feed not in held and (feeds is None or feed in feeds)

        results = []
        for entry in (e for e in manifest() if e.load):
            path = reference_file(entry.path, home)
            if path.suffix == ".xlsx":
                if not wanted(STATS19_CODES.feed):
                    continue
                path = write_codes(path, derived_dir(home) / "stats19_codes.csv")
            contract = detect_contract("reference", path)
            if wanted(contract.feed):
                results.append(load_file(con, contract, path))
        return results
    finally:
        con.close()
