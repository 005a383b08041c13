"""Publish the working database for readers: a whole-file snapshot swapped in atomically, plus Parquet marts.

Readers (BI tools, analysts, reports) only ever open the published copy. The snapshot is written beside the
published file and moved over it with one rename, so a reader that already has the old file open keeps reading
it undisturbed, and the next one to open it sees the new data in full: never a mix.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warehouse.database import connect
from warehouse.paths import HubPaths
from warehouse.transform import generate_catalogue

MART_SCHEMA = "marts"


@dataclass(frozen=True)
class PublishResult:
    database: Path
    parquet_dir: Path
    catalogue: Path
    marts: tuple[str, ...]


def publish(paths: HubPaths) -> PublishResult:
    paths.ensure()
    catalogue = generate_catalogue(paths)
    _checkpoint(paths.working_db)
    with tempfile.TemporaryDirectory(dir=paths.published_dir, prefix=".publishing-") as staging:
        staging_dir = Path(staging)
        # The snapshot keeps the published file's name so its catalog (and every view that names it) is "hub".
        snapshot = staging_dir / paths.published_db.name
        shutil.copyfile(paths.working_db, snapshot)
        marts = _write_parquet(snapshot, staging_dir / "parquet")
        shutil.copyfile(catalogue, staging_dir / paths.published_catalogue.name)
        os.replace(snapshot, paths.published_db)
        os.replace(staging_dir / paths.published_catalogue.name, paths.published_catalogue)
        _swap_directory(staging_dir / "parquet", paths.parquet_dir)
    return PublishResult(paths.published_db, paths.parquet_dir, paths.published_catalogue, marts)


def _checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so a byte copy of the file is the whole database."""
    con = connect(database)
    try:
        con.execute("checkpoint")
    finally:
        con.close()


def _write_parquet(database: Path, target: Path) -> tuple[str, ...]:
    target.mkdir()
    con = connect(database, read_only=True)
    try:
        marts = tuple(
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [MART_SCHEMA],
            ).fetchall()
        )
        for mart in marts:
            con.execute(f'copy {MART_SCHEMA}."{mart}" to \'{target / mart}.parquet\' (format parquet)')
    finally:
        con.close()
    return marts


def _swap_directory(new: Path, current: Path) -> None:
    """Replace a directory by another with two renames; the old one is removed only once the new is in place."""
    retired = current.with_name(f".{current.name}-retired")
    shutil.rmtree(retired, ignore_errors=True)
    if current.exists():
        os.replace(current, retired)
    os.replace(new, current)
    shutil.rmtree(retired, ignore_errors=True)
