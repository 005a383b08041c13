"""What any `hub build` of this project costs before it reads a partner's row: the floor under the build and
incremental targets (bench.harness builds a hub that holds the reference data and no partner row)."""

from __future__ import annotations

from pathlib import Path

from warehouse.paths import HubPaths
from warehouse.pipeline import as_at_from_env
from warehouse.transform import prepare_inputs, run_dbt


def models_and_seeds(database: Path) -> None:
    """`hub build --full-refresh` without its data tests: every seed and model of the project, so the floor left if
    every data test were folded away. `database` is a hub's working database (hub.duckdb in the hub's home)."""
    paths = HubPaths(database.parent)
    prepare_inputs(paths)
    run_dbt(paths, "build", "--full-refresh", "--exclude-resource-type", "test", "unit_test", as_at=as_at_from_env())
