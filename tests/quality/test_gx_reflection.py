"""The dialect a check's GX validation connects with (warehouse.gx_duckdb.SchemaAtOnceDialect) reflects every table
exactly as duckdb-engine does, with one query a schema in place of one a table."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from warehouse import gx_duckdb  # noqa: F401  (registers duckdb+schema_at_once)

# Two schemas holding a table of the same name, every kind of column a hub's tables have and some they do not yet
# (a decimal's precision, a list, an enum, a default, a comment, a primary key), and a view.
TABLES = """
    create type mood as enum ('calm', 'cross');
    create schema marts;
    create schema raw;
    create table marts.facts (ward_code varchar primary key, month_start date not null, incidents bigint,
        rate double, share decimal(9, 3), flagged boolean default false, codes varchar[], feeling mood,
        loaded_at timestamp, seen_at time, big hugeint, small integer);
    comment on column marts.facts.rate is 'Per 1,000 residents.';
    create table raw.facts (load_id integer, source_row integer, "Crime ID" varchar, primary key (load_id, source_row));
    create view marts.facts_view as select ward_code, incidents from marts.facts;
    create table raw.lonely (x integer);
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reflection") / "hub.duckdb"
    con = duckdb.connect(str(path))
    con.execute(TABLES)
    con.close()
    return path


def reflected(engine: sa.Engine, schema: str, table: str) -> tuple:
    inspector = sa.inspect(engine)
    columns = [(c["name"], str(c["type"]), c["nullable"], c["default"], c["comment"], c["autoincrement"])
               for c in inspector.get_columns(table, schema=schema)]
    return columns, inspector.get_pk_constraint(table, schema=schema)


def test_every_table_and_view_reflects_as_duckdb_engine_reflects_it(database):
    plain = sa.create_engine(f"duckdb:///{database}", connect_args={"read_only": True})
    at_once = sa.create_engine(f"duckdb+schema_at_once:///{database}", connect_args={"read_only": True})
    tables = [("marts", "facts"), ("raw", "facts"), ("marts", "facts_view"), ("raw", "lonely")]
    for schema, table in tables:
        assert reflected(at_once, schema, table) == reflected(plain, schema, table), (schema, table)
    assert [c[0] for c in reflected(at_once, "raw", "facts")[0]] == ["load_id", "source_row", "Crime ID"]
    assert reflected(at_once, "marts", "facts")[0][3][4] == "Per 1,000 residents."


def test_a_schema_is_reflected_with_one_query_for_its_columns_and_one_for_its_keys(database):
    engine = sa.create_engine(f"duckdb+schema_at_once:///{database}", connect_args={"read_only": True})
    queries = []
    event.listen(engine, "before_cursor_execute", lambda *args: queries.append(args[2]))
    with engine.connect() as connection:
        before = len(queries)
        for table in ("facts", "facts_view"):
            for _ in range(3):   # as GX does: an inspector of its own for each validation
                reflected(connection, "marts", table)
        assert len(queries) - before == 4, queries[before:]   # columns, the enums they may use; tables, their keys


def test_a_table_made_after_its_schema_was_reflected_is_found_and_a_missing_one_is_refused(tmp_path):
    path = tmp_path / "hub.duckdb"
    duckdb.connect(str(path)).execute("create schema marts; create table marts.first (a integer)").close()
    engine = sa.create_engine(f"duckdb+schema_at_once:///{path}")
    with engine.connect() as connection:
        assert reflected(connection, "marts", "first")[0][0][0] == "a"
        connection.exec_driver_sql("create table marts.second (b varchar)")
        assert reflected(connection, "marts", "second")[0][0][:2] == ("b", "VARCHAR")
        with pytest.raises(sa.exc.NoSuchTableError):
            sa.inspect(connection).get_columns("missing", schema="marts")
