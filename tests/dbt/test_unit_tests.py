"""Every dbt unit test (the hand-worked cases of each model's arithmetic) passes. `hub build` leaves them out, as dbt
advises; they run here, on a copy of a small built hub (dbt reads the column types of a model's inputs from it)."""

from __future__ import annotations

import json

from tests.helpers import copy_hub
from warehouse.paths import HubPaths
from warehouse.transform import run_unit_tests


def test_every_dbt_unit_test_passes(published_gmp_hub, tmp_path):
    paths = HubPaths(copy_hub(published_gmp_hub, tmp_path / "hub"))
    run_unit_tests(paths)
    target = paths.dbt_dir / "target"
    # The run also reports its on-run-start hook (loading the spatial extension), which is no unit test.
    results = [r for r in json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
               if not r["unique_id"].startswith("operation.")]
    declared = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["unit_tests"]
    assert len(declared) >= 25
    assert {r["unique_id"] for r in results} == set(declared)
    assert {r["status"] for r in results} == {"pass"}
