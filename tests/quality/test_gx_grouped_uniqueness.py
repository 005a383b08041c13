"""GX's uniqueness expectations count their unexpected rows with one GROUP BY (warehouse.gx_grouped_uniqueness), and
the counts are GX's own: the same rows, nulls and row conditions included."""

from __future__ import annotations

from contextlib import contextmanager

import duckdb
import pytest
from great_expectations.execution_engine import SqlAlchemyExecutionEngine
from great_expectations.expectations import registry
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from tests.quality.gx_numbers import validate_numbers
from warehouse import gx_grouped_uniqueness, validation  # noqa: F401  (validation: the dialect a check connects with)
from warehouse.paths import HubPaths

# marts.numbers: x unique; y repeats 'b' twice and null twice; (y, z) repeats ('b', 0) and (null, 0) twice each
ROWS = [(1, "a", 0), (2, "b", 0), (3, "b", 0), (4, None, 0), (5, None, 0), (6, "c", 1), (7, "c", 2)]
EXPECTATIONS = [  # (type, kwargs, the unexpected count worked by hand)
    ("expect_column_values_to_be_unique", {"column": "x"}, 0),
    ("expect_column_values_to_be_unique", {"column": "y"}, 4),  # b, b, c, c; the nulls are not values
    ("expect_column_values_to_be_unique", {"column": "y", "row_condition": 'col("z")>0',
                                           "condition_parser": "great_expectations"}, 2),  # c, c
    ("expect_column_values_to_be_unique", {"column": "y", "row_condition": 'col("z")<1',
                                           "condition_parser": "great_expectations"}, 2),  # b, b
    ("expect_compound_columns_to_be_unique", {"column_list": ["x", "y"]}, 0),
    ("expect_compound_columns_to_be_unique", {"column_list": ["y", "z"]}, 2),  # (b, 0) twice; (null, 0) matches none
    ("expect_compound_columns_to_be_unique", {"column_list": ["y", "z"], "ignore_row_if": "any_value_is_missing"}, 2),
]


@pytest.fixture
def hub(tmp_path) -> HubPaths:
    paths = HubPaths(tmp_path / "hub").ensure()
    con = duckdb.connect(str(paths.working_db))
    con.execute("create schema marts; create table marts.numbers (x integer, y varchar, z integer)")
    con.executemany("insert into marts.numbers values (?, ?, ?)", ROWS)
    con.close()
    return paths


@contextmanager
def gx_own_counts():
    """GX's own providers of the two counts, for as long as the block runs."""
    engine = SqlAlchemyExecutionEngine.__name__
    grouped = {name: registry._registered_metrics[name]["providers"][engine] for name in gx_grouped_uniqueness.GX_COUNTS}
    for name, provider in gx_grouped_uniqueness.GX_COUNTS.items():
        registry._registered_metrics[name]["providers"][engine] = provider
    try:
        yield
    finally:
        for name, provider in grouped.items():
            registry._registered_metrics[name]["providers"][engine] = provider


def configurations() -> list[ExpectationConfiguration]:
    return [ExpectationConfiguration(type=kind, kwargs=kwargs) for kind, kwargs, _ in EXPECTATIONS]


def outcome(results) -> list[tuple]:
    return [(r.success, r.result["unexpected_count"], r.result["element_count"],
             sorted(r.result["partial_unexpected_list"], key=repr)) for r in results]


def test_the_grouped_counts_are_the_ones_worked_by_hand_and_gx_own(hub, statements):
    grouped = validate_numbers(hub, configurations())
    assert [r.result["unexpected_count"] for r in grouped] == [count for _, _, count in EXPECTATIONS]
    counts = [s for s in statements if "repeated_groups" in s]
    assert len(counts) == len(EXPECTATIONS)
    assert not any("UnexpectedCountSubquery" in s for s in statements)  # GX's count over every row
    with gx_own_counts():
        own = validate_numbers(hub, configurations())
    assert outcome(grouped) == outcome(own)
