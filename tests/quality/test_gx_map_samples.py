"""A map expectation's sample of unexpected values is queried only when its count found some
(warehouse.gx_map_samples): GX 1.24 queried the sample of every map expectation, passing or not. The results, the
samples of the failing expectations included, are what GX gives."""

from __future__ import annotations

import duckdb
import pytest
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from tests.quality.gx_numbers import validate_numbers
from warehouse import gx_map_samples  # noqa: F401  (the change under test)
from warehouse.paths import HubPaths
from warehouse.validation import validate_suites

EXPECTATIONS = [  # (type, kwargs, the sample GX gives)
    ("expect_column_values_to_be_in_set", {"column": "x", "value_set": [1, 2, 3, 4, 5]}, []),
    ("expect_column_values_to_be_in_set", {"column": "x", "value_set": [1, 2]}, [3, 4, 5]),
    ("expect_column_values_to_be_between", {"column": "x", "min_value": 0, "max_value": 9}, []),
    ("expect_column_values_to_be_unique", {"column": "x"}, []),
    ("expect_column_values_to_be_unique", {"column": "y"}, ["b", "b"]),
    ("expect_column_values_to_not_be_null", {"column": "y"}, [None]),
    ("expect_compound_columns_to_be_unique", {"column_list": ["x", "y"]}, []),
    ("expect_compound_columns_to_be_unique", {"column_list": ["y", "z"]}, [{"y": "b", "z": 0}, {"y": "b", "z": 0}]),
]
SUITE = {"name": "numbers", "meta": {"table": "marts.numbers", "partner": "all"}, "expectations": [
    {"type": kind, "kwargs": kwargs, "severity": "warning", "meta": {"meaning": f"{kind} {kwargs}"}}
    for kind, kwargs, _ in EXPECTATIONS]}


@pytest.fixture
def hub(tmp_path) -> HubPaths:
    paths = HubPaths(tmp_path / "hub").ensure()
    con = duckdb.connect(str(paths.working_db))
    con.execute("create schema marts; create table marts.numbers as "
                "select * from (values (1, 'a', 0), (2, 'b', 0), (3, 'b', 0), (4, null, 0), (5, 'c', 0)) t(x, y, z)")
    con.close()
    return paths


def sample_queries(statements: list[str]) -> list[str]:
    """The sample queries among `statements`: GX limits a sample to 20 rows and its counts to none (its probe of a
    table's existence, `SELECT 1 FROM t LIMIT 1`, is left out)."""
    return [s for s in statements if "LIMIT" in s and not s.startswith("SELECT 1 ")]


def test_only_the_failing_expectations_query_their_sample_and_the_samples_are_right(hub, statements):
    results = validate_numbers(hub, [ExpectationConfiguration(type=kind, kwargs=kwargs)
                                     for kind, kwargs, _ in EXPECTATIONS])  # SUMMARY, GX's default and the check's
    samples = [sorted(r.result["partial_unexpected_list"], key=repr) for r in results]
    assert samples == [sample for _, _, sample in EXPECTATIONS]
    assert [r.result["unexpected_count"] for r in results] == [len(sample) for _, _, sample in EXPECTATIONS]
    assert [r.success for r in results] == [not sample for _, _, sample in EXPECTATIONS]
    assert len(sample_queries(statements)) == sum(1 for _, _, sample in EXPECTATIONS if sample)


def test_a_check_with_map_expectations_reads_as_before(hub, tmp_path, statements):
    results = validate_suites(hub, [SUITE], "samples", tmp_path / "site")
    assert [(r.success, r.unexpected_count) for r in results] == [(not s, len(s)) for _, _, s in EXPECTATIONS]
    assert len(sample_queries(statements)) == sum(1 for _, _, sample in EXPECTATIONS if sample)
