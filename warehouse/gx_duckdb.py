"""Make Great Expectations keep one connection open on DuckDB, as it already does for SQLite and SQL Server.

GX 1.24 returns a pooled connection to the pool before it reads a metric query's rows, and duckdb-engine drops
the rows with the connection, so every SQL metric fails with "list index out of range" (README: Development). GX decides
which dialects keep one persistent connection from a private tuple; DuckDB is added to it here. If GX renames or
reshapes that tuple, `enable_persistent_duckdb_connection` raises at once rather than letting validations fail
later, and tests/quality's smoke test proves real metrics still come back.

It also registers `duckdb+schema_at_once`, the dialect a check connects with: duckdb-engine reflecting a schema's
tables at once (SchemaAtOnceDialect).
"""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb_engine  # noqa: E402
from great_expectations.execution_engine import sqlalchemy_execution_engine  # noqa: E402
from sqlalchemy.dialects import registry  # noqa: E402
from sqlalchemy.engine.reflection import ObjectKind, ObjectScope  # noqa: E402

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


class SchemaAtOnceDialect(duckdb_engine.Dialect):
    """duckdb-engine, reflecting a schema's columns and primary keys with one query each, kept for the engine's life
    (one `validate_suites`), rather than one query per table. GX reflects every table it validates, each validation
    with an inspector of its own; duckdb-engine answers through DuckDB's pg_catalog views, ~0.1 s a query whether it
    asks for one table or a whole schema, which made reflection a third of a check's time on a small hub. The answers
    are duckdb-engine's own, only fetched a schema at a time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas_reflected: dict[tuple[str, str | None], dict] = {}

    def get_columns(self, connection, table_name, schema=None, **kw):
        return self._of_table(self.get_multi_columns, super().get_columns, connection, table_name, schema, kw)

    def get_pk_constraint(self, connection, table_name, schema=None, **kw):
        return self._of_table(self.get_multi_pk_constraint, super().get_pk_constraint, connection, table_name, schema,
                              kw)

    def _of_table(self, of_schema, of_one_table, connection, table_name, schema, kw):
        """The table's entry in its schema's reflection; a table the schema's did not list (made since) on its own,
        which raises as duckdb-engine does for a table that does not exist."""
        key = (of_schema.__name__, schema)
        if key not in self._schemas_reflected:
            self._schemas_reflected[key] = dict(of_schema(connection, schema=schema, filter_names=None,
                                                          scope=ObjectScope.ANY, kind=ObjectKind.ANY, **kw))
        found = self._schemas_reflected[key].get((schema, table_name))
        return found if found is not None else of_one_table(connection, table_name, schema, **kw)


registry.register("duckdb.schema_at_once", __name__, SchemaAtOnceDialect.__name__)
