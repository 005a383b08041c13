"""Load a partner's files into the working database, one writer, with a progress bar for long loads."""

from __future__ import annotations

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from loaders.audit import ensure_audit_schema
from loaders.contracts import Contract
from loaders.database import connect, connect_for_loading
from loaders.engine import LoadResult, ensure_raw_table, geocodes_postcodes, load_files, needs_key, record_refusal
from loaders.errors import LoaderError
from loaders.pseudonyms import load_key
from loaders.reference_defaults import load_geocoding_defaults
from loaders.registry import all_contracts, detect_contract

UNRECOGNISED = "unrecognised"  # audit.loads.feed of a file refused before its format was known


def ingest_files(db_path: Path, partner: str, files: list[Path], *, key_file: Path | None = None,
                 show_progress: bool = False, reload: bool = False,
                 hub_home: Path | None = None) -> list[LoadResult]:
    """Every file's format is recognised, and the pseudonym key found, before anything is loaded. reload loads
    files again whose bytes were loaded before (the caller asked for it; each such load says so in audit.loads).
    Given the hub's runtime folder (hub_home), a file with postcodes first has the hub's default postcode directory
    loaded, if it is not yet, since postcodes are geocoded at the door and never stored."""
    contracts = [(path, _recognised(db_path, partner, path)) for path in files]
    key = load_key(key_file) if any(needs_key(c) for _, c in contracts) else None
    if hub_home and any(geocodes_postcodes(c) for _, c in contracts):
        load_geocoding_defaults(db_path, hub_home)
    con = connect_for_loading(db_path)
    results = []
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.fields[file]}"), disable=not show_progress, transient=True) as progress:
            task = progress.add_task(f"Loading {partner}", total=len(contracts), file="")
            for contract, paths in _by_feed(contracts).items():
                progress.update(task, file=contract.feed)
                for result in load_files(con, contract, paths, key, reload=reload):
                    results.append(result)
                    progress.advance(task)
    finally:
        con.close()
    return results


def _by_feed(contracts: list[tuple[Path, Contract]]) -> dict[Contract, list[Path]]:
    """Each feed's files, in the order given, so that they can be loaded together; feeds are independent of each
    other, so one feed's files are loaded before the next's."""
    feeds: dict[Contract, list[Path]] = {}
    for path, contract in contracts:
        feeds.setdefault(contract, []).append(path)
    return feeds


def _recognised(db_path: Path, partner: str, path: Path) -> Contract:
    """A file refused for its format is audited like any other refused attempt. The database is opened only then,
    so a run refused for want of the pseudonym key leaves no working database behind."""
    try:
        return detect_contract(partner, path)
    except LoaderError as error:
        con = connect(db_path)
        try:
            record_refusal(con, partner, UNRECOGNISED, path, str(error))
        finally:
            con.close()
        raise


def prepare_raw_tables(db_path: Path) -> None:
    con = connect(db_path)
    try:
        ensure_audit_schema(con)
        for contract in all_contracts():
            ensure_raw_table(con, contract)
    finally:
        con.close()
