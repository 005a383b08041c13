"""Load partners' files into the working database, one writer process, with a progress bar for long loads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from loaders.audit import ensure_audit_schema
from loaders.contracts import Contract
from loaders.database import connect, connect_for_loading
from loaders.engine import (LoadResult, ensure_raw_table, geocodes_postcodes, load_files, needs_key, needs_spatial,
                            record_refusal)
from loaders.errors import LoaderError
from loaders.load_ids import LoadIds
from loaders.pseudonyms import PseudonymKey, load_key
from loaders.reference import REFERENCE_CONTRACTS
from loaders.reference_defaults import load_geocoding_defaults
from loaders.registry import all_contracts, detect_contract
from loaders.spatial import load_spatial

UNRECOGNISED = "unrecognised"  # audit.loads.feed of a file refused before its format was known


def ingest_files(db_path: Path, partner: str, files: list[Path], **options) -> list[LoadResult]:
    """One partner's files (options as for ingest_deliveries)."""
    return ingest_deliveries(db_path, {partner: files}, **options)


def ingest_deliveries(db_path: Path, deliveries: dict[str, list[Path]], *, key_file: Path | None = None,
                      show_progress: bool = False, reload: bool = False,
                      hub_home: Path | None = None) -> list[LoadResult]:
    """Each partner's files (deliveries: partner -> files, each partner's in the order delivered). Every file's format
    is recognised, and the pseudonym key found, before anything is loaded. Reference data is loaded first, a feed at
    a time, since the partners' feeds are placed and geocoded against it; then, given the hub's runtime folder
    (hub_home), the hub's default postcode directory if a feed with postcodes needs it and none is loaded yet
    (postcodes are geocoded at the door and never stored); then the partners' feeds, FEEDS_AT_ONCE at a time.
    reload loads files again whose bytes were loaded before (the caller asked for it; each such load says so in
    audit.loads). The results are in the order given: feed by feed, each feed's files in turn."""
    contracts = [(path, _recognised(db_path, partner, path)) for partner, files in deliveries.items() for path in files]
    key = load_key(key_file) if any(needs_key(c) for _, c in contracts) else None
    feeds = _by_feed(contracts)
    reference = {c: paths for c, paths in feeds.items() if c in REFERENCE_CONTRACTS}
    partners = {c: paths for c, paths in feeds.items() if c not in REFERENCE_CONTRACTS}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[file]}"), disable=not show_progress, transient=True) as progress:
        task = progress.add_task(f"Loading {', '.join(deliveries)}", total=len(contracts), file="")
        load = partial(_load_feeds, db_path, key=key, reload=reload, progress=progress, task=task)
        results = load(reference, at_once=1)
        if hub_home and any(geocodes_postcodes(c) for c in partners):
            load_geocoding_defaults(db_path, hub_home)
        return results + load(partners, at_once=FEEDS_AT_ONCE)


# Feeds loaded at the same time, each on a connection of its own (they write different tables, so their transactions
# never conflict). On two cores one feed keeps about 1.6 cores busy (its statements have single-threaded stretches:
# the row numbering, the commits, the loader's own Python) and two keep 1.9: `hub ingest` of the 10M bench set took
# 60.5 and 61.8 s against 67.3 and 82.1 s a feed at a time, with 2.5 GB of peak memory against 1.5 (bench/README.md).
FEEDS_AT_ONCE = 2


def _load_feeds(db_path: Path, feeds: dict[Contract, list[Path]], at_once: int, *, key: PseudonymKey | None,
                reload: bool, progress: Progress, task: TaskID) -> list[LoadResult]:
    """Each feed's files on a cursor of one connection, at_once feeds at a time, the largest first so that the last
    to finish is a small one. After a refusal no feed is begun and the feeds under way stop once their current batch
    has landed; the first refusal in the feeds' order is raised. Ctrl-C stops them the same way."""
    if not feeds:
        return []
    con = connect_for_loading(db_path)
    try:
        _prepare(con, feeds)
        load_ids, stop = LoadIds(), threading.Event()

        def load_feed(contract: Contract, paths: list[Path]) -> list[LoadResult]:
            results: list[LoadResult] = []
            if stop.is_set():
                return results
            cursor = con.cursor()
            try:
                progress.update(task, file=contract.feed)
                for result in load_files(cursor, contract, paths, key, reload=reload, load_ids=load_ids):
                    results.append(result)
                    progress.advance(task)
                    if stop.is_set():
                        break
            except BaseException:
                stop.set()
                raise
            finally:
                cursor.close()
            return results

        largest_first = sorted(feeds, key=lambda c: -sum(p.stat().st_size for p in feeds[c]))
        futures = {}
        with ThreadPoolExecutor(at_once) as pool:
            try:  # from the first feed submitted: a Ctrl-C while the rest are submitted stops it too
                for contract in largest_first:
                    futures[contract] = pool.submit(load_feed, contract, feeds[contract])
                return [result for contract in feeds for result in futures[contract].result()]
            except BaseException:
                stop.set()
                raise
    finally:
        con.close()


def _prepare(con, feeds: dict[Contract, list[Path]]) -> None:
    """The schemas, the feeds' raw tables and the spatial extension, made ready on one connection before the feeds'
    cursors share it: DDL from several at once could conflict."""
    ensure_audit_schema(con)
    for contract in feeds:
        ensure_raw_table(con, contract)
    if any(needs_spatial(contract) for contract in feeds):
        load_spatial(con)


def _by_feed(contracts: list[tuple[Path, Contract]]) -> dict[Contract, list[Path]]:
    """Each feed's files, in the order given, so that they can be loaded together; feeds are independent of each
    other."""
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
