"""What any `hub build` of this project costs before it reads a partner's row: the floor under the build and
incremental targets (bench.harness builds a hub that holds the reference data and no partner row)."""

from __future__ import annotations

from pathlib import Path

from bench.handwritten import dbt_build_without_tests


def models_and_seeds(database: Path) -> None:
    """`hub build --full-refresh` without its data tests: every seed and model of the project, so the floor left if
    every data test were folded away. `database` is a hub's working database (hub.duckdb in the hub's home)."""
    dbt_build_without_tests(database)
