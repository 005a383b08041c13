"""A hub whose audit.loads kept each load's periods and slice as text is converted in place on its next load: every
load keeps its row, its periods move to audit.load_periods and its slice to typed columns, and a later delivery of a
converted slice replaces it as it would have before."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from loaders.audit_upgrade import AuditUpgradeError
from loaders.engine import load_file
from loaders.police_uk import POLICE_UK_STREET
from tests.loaders.deliveries import street_file
from loaders.audit import ensure_audit_schema

# audit.loads as the hub created it before its periods and slices were typed.
TEXT_PERIODS_LOADS = """
create schema audit;
create table audit.loads (
    load_id bigint primary key, partner varchar not null, feed varchar not null, file_name varchar not null,
    file_path varchar not null, sha256 varchar not null, delivered_at timestamp not null, periods varchar,
    delivery_slice varchar, rows_read bigint not null, rows_loaded bigint not null, rows_rejected bigint not null,
    status varchar not null, message varchar, superseded_by bigint, started_at timestamp not null,
    finished_at timestamp not null
);
"""
# (load_id, partner, feed, periods, delivery_slice, rows_loaded, status, superseded_by), as the old loader wrote them
TEXT_LOADS = [
    (1, "police", "street_crime", "2016-11,2016-12", "2016-12|Greater Manchester Police", 10, "superseded", 2),
    (2, "police", "street_crime", "2016-12", "2016-12|Greater Manchester Police", 12, "loaded", None),
    (3, "transport", "stats19_casualties", "2010,2011,2021", "2010", 300, "loaded", None),
    (4, "transport", "stats19_collisions", "2017-01,2017-02", "2017|6", 20, "loaded", None),
    (5, "fire", "incidents", "2017-03", "2017-03|", 5, "loaded", None),
    (6, "reference", "ward_districts", None, "whole table", 215, "loaded", None),
    (7, "reference", "postcode_directory", None, "E08000009", 900, "loaded", None),
    (8, "police", "street_crime", None, None, 0, "failed", None),
]


def _text_periods_hub(con, loads=TEXT_LOADS) -> None:
    con.execute(TEXT_PERIODS_LOADS)
    for load_id, partner, feed, periods, delivery_slice, loaded, status, superseded_by in loads:
        con.execute("insert into audit.loads values (?, ?, ?, ?, ?, ?, '2024-01-01', ?, ?, ?, ?, 0, ?, null, ?, "
                    "'2024-01-01', '2024-01-01')",
                    [load_id, partner, feed, f"file{load_id}.csv", f"/in/file{load_id}.csv", f"sha{load_id}", periods,
                     delivery_slice, loaded, loaded, status, superseded_by])


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "hub.duckdb"))
    yield connection
    connection.close()


def _columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute("select column_name, data_type from duckdb_columns() where schema_name = 'audit' "
                       "and table_name = ? order by column_index", [table]).fetchall()


def test_the_text_is_converted_by_each_feeds_contract_and_nothing_else_changes(con, tmp_path):
    _text_periods_hub(con)
    ensure_audit_schema(con)
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    ensure_audit_schema(fresh)
    assert _columns(con, "loads") == _columns(fresh, "loads") and _columns(con, "load_periods") == _columns(fresh, "load_periods")
    fresh.close()
    assert con.execute("select load_id, slice_period_start, slice_period_grain, slice_scope, rows_loaded, status, "
                       "superseded_by from audit.loads order by load_id").fetchall() == [
        (1, date(2016, 12, 1), "month", "Greater Manchester Police", 10, "superseded", 2),
        (2, date(2016, 12, 1), "month", "Greater Manchester Police", 12, "loaded", None),
        (3, date(2010, 1, 1), "year", None, 300, "loaded", None),
        (4, date(2017, 1, 1), "year", "6", 20, "loaded", None),
        (5, date(2017, 3, 1), "month", None, 5, "loaded", None),
        (6, None, None, None, 215, "loaded", None),
        (7, None, None, "E08000009", 900, "loaded", None),
        (8, None, None, None, 0, "failed", None),
    ]
    assert con.execute("select load_id, period_start, period_grain, period_label from audit.load_periods "
                       "order by all").fetchall() == [
        (1, date(2016, 11, 1), "month", "2016-11"), (1, date(2016, 12, 1), "month", "2016-12"),
        (2, date(2016, 12, 1), "month", "2016-12"),
        (3, date(2010, 1, 1), "year", "2010"), (3, date(2011, 1, 1), "year", "2011"),
        (3, date(2021, 1, 1), "year", "2021"),
        (4, date(2017, 1, 1), "month", "2017-01"), (4, date(2017, 2, 1), "month", "2017-02"),
        (5, date(2017, 3, 1), "month", "2017-03"),
    ]
    assert con.execute("select count(*) from duckdb_tables() where schema_name = 'audit' and table_name like "
                       "'loads_%'").fetchone() == (0,)


def test_a_later_delivery_of_a_converted_slice_replaces_it(con, tmp_path):
    _text_periods_hub(con)
    december = street_file(tmp_path / "in", "2016-12.csv", "2016-12", 3)
    result = load_file(con, POLICE_UK_STREET, december)
    assert (result.load_id, result.superseded, result.periods) == (9, (2,), ("2016-12",))
    assert con.execute("select status, superseded_by from audit.loads where load_id = 2").fetchone() == ("superseded", 9)


def test_a_load_of_a_feed_the_hub_no_longer_has_is_named_and_nothing_is_converted(con):
    _text_periods_hub(con, [*TEXT_LOADS, (9, "police", "crime_summaries", "2016-12", "2016-12", 4, "loaded", None)])
    with pytest.raises(AuditUpgradeError, match=r"load 9 \(police/crime_summaries\)"):
        ensure_audit_schema(con)
    assert ("delivery_slice", "VARCHAR") in _columns(con, "loads")
    assert con.execute("select count(*) from audit.loads").fetchone() == (9,)
