"""Load a partner's files into the working database, one writer, with a progress bar for long loads."""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress

from loaders.engine import LoadResult, load_file
from loaders.registry import detect_contract
from warehouse.database import connect


def ingest_files(db_path: Path, partner: str, files: list[Path], *, show_progress: bool = False) -> list[LoadResult]:
    contracts = [(path, detect_contract(partner, path)) for path in files]
    con = connect(db_path)
    results = []
    try:
        with Progress(disable=not show_progress, transient=True) as progress:
            task = progress.add_task(f"Loading {partner}", total=len(contracts))
            for path, contract in contracts:
                results.append(load_file(con, contract, path))
                progress.advance(task)
    finally:
        con.close()
    return results
