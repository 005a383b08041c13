"""Columns a model never leaves empty are tested by one `not_null_columns` test per model (macros/
test_not_null_columns.sql), not a dbt node per column: the test must still stop the build on a single null, and say
which column and how many."""

from __future__ import annotations

import re

import duckdb
import pytest
import yaml

from tests.dbt.test_project_yaml import NODE_YAML
from tests.helpers import build_models, copy_hub, make_hub
from warehouse.paths import PROJECT_DIR
from warehouse.transform import TransformError


def test_a_null_in_a_column_that_is_never_empty_stops_the_build_naming_the_column_and_its_count(
        published_gmp_hub, tmp_path):
    hub = make_hub(copy_hub(published_gmp_hub, tmp_path / "hub"))
    con = duckdb.connect(str(hub.paths.working_db))
    con.execute("update raw.police_street_crime set month = null where source_row in (3, 5, 8)")
    con.close()

    with pytest.raises(TransformError) as stopped:
        build_models(hub, "int_incidents_stacked")

    message = str(stopped.value)
    assert re.search(r"Failure in test not_null_columns_int_incidents_stacked_\w+", message), message
    assert "Got 3 results" in message, message
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        failing = con.execute(_compiled_test(hub.paths.dbt_dir / "target")).fetchall()
    finally:
        con.close()
    assert failing == [("occurred_month", 3)]


def _compiled_test(target) -> str:
    """The test's query as dbt compiled it (dbt shortens a long test name to a hash in the file's name)."""
    (path,) = (target / "compiled").rglob("_canonical_incident.yml/not_null_columns_int_incidents_*.sql")
    return path.read_text(encoding="utf-8")


def test_no_model_or_seed_keeps_a_not_null_test_per_column():
    per_column = []
    for path in NODE_YAML:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for node in (document.get("models") or []) + (document.get("seeds") or []):
            for column in node.get("columns") or []:
                if "not_null" in (column.get("data_tests") or []):
                    per_column.append(f"{path.relative_to(PROJECT_DIR)}: {node['name']}.{column['name']}")
    assert per_column == []
