"""Make Great Expectations keep one connection open on DuckDB, as it already does for SQLite and SQL Server.

GX 1.24 returns a pooled connection to the pool before it reads a metric query's rows, and duckdb-engine drops
the rows with the connection, so every SQL metric fails with "list index out of range" (README: Development). GX decides
which dialects keep one persistent connection from a private tuple; DuckDB is added to it here. If GX renames or
reshapes that tuple, `enable_persistent_duckdb_connection` raises at once rather than letting validations fail
later, and tests/quality's smoke test proves real metrics still come back.
"""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from great_expectations.execution_engine import sqlalchemy_execution_engine  # noqa: E402

DIALECTS_ATTRIBUTE = "_PERSISTED_CONNECTION_DIALECTS"


class _DuckDBDialect(str):
    """Compares equal to GX's dialect name "duckdb" and, like GX's dialect enum, has a `.value`."""

    @property
    def value(self) -> str:
        return str(self)


DUCKDB = _DuckDBDialect("duckdb")


def enable_persistent_duckdb_connection() -> None:
    dialects = getattr(sqlalchemy_execution_engine, DIALECTS_ATTRIBUTE, None)
    if not isinstance(dialects, tuple):
        raise RuntimeError(
            f"great_expectations.execution_engine.sqlalchemy_execution_engine.{DIALECTS_ATTRIBUTE} is gone or changed "
            "shape: the DuckDB persistent-connection fix needs redoing for this GX version (pinned: 1.24.1)."
        )
    if DUCKDB not in dialects:
        setattr(sqlalchemy_execution_engine, DIALECTS_ATTRIBUTE, (*dialects, DUCKDB))

