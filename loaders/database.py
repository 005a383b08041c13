"""DuckDB connections with explicit resource settings, so every step spills rather than fails."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

# DuckDB's own limit, below the hub's 4 GB budget for a whole step: the process around it needs the rest. The limit
# bounds DuckDB's buffers, not all it allocates: under `hub build` at 70M rows, with the limit at 3GB, dbt's process
# peaked at 3.8-4.3 GB (dbt itself ~0.3 GB, DuckDB ~0.5 GB past its limit while two models run); at 2.5GB, 3.4 GB
# and no slower (bench/README.md). Past the limit DuckDB spills to the temporary directory rather than fails.
DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS = "2.5GB", 2
MEMORY_LIMIT = os.environ.get("HUB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
THREADS = int(os.environ.get("HUB_THREADS", DEFAULT_THREADS))


def resource_config() -> dict[str, str | int]:
    """The settings every DuckDB connection of the hub gets, its own or a library's (GX through duckdb-engine)."""
    return {"memory_limit": MEMORY_LIMIT, "threads": THREADS}


def connect(path: Path, *, read_only: bool = False, temp_directory: Path | None = None) -> duckdb.DuckDBPyConnection:
    config = resource_config()
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    return duckdb.connect(str(path), read_only=read_only, config=config)


# DuckDB folds its write-ahead log into the database file (a checkpoint) whenever the log passes 16 MB, and a
# checkpoint takes longer the larger the tables: a run of loads crossed it every few files (52 s of commits in a 160 s
# load of 3.8M police rows). A run of loads lets the log grow to 256 MB (17 s of commits, 0.1-0.15 GB more memory; the
# measurements are in bench/README.md) and checkpoints when it closes; a crash before then loses no committed load.
LOADING_CHECKPOINT_THRESHOLD = "256MB"


def connect_for_loading(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection for a run of loads (hub ingest, the reference defaults): close it to checkpoint."""
    con = connect(path)
    con.execute(f"set checkpoint_threshold = {sql_literal(LOADING_CHECKPOINT_THRESHOLD)}")
    return con


def sql_literal(text: str) -> str:
    """Text as an SQL string literal, quotes doubled, for the few places DuckDB's grammar takes no parameter: a CSV
    reader's column map, SQL handed to Great Expectations, a COMMENT ON, ATTACH's path and COPY's file. Everywhere
    else paths and data values are parameters."""
    return "'" + text.replace("'", "''") + "'"
