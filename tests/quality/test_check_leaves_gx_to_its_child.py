"""A check imports Great Expectations in its child alone (warehouse.quality.validate_in_child): the process that
checks only hands the work over, and importing GX there too cost every `hub check` ~5 s."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from warehouse.paths import HubPaths

CHECK = """
import sys
from pathlib import Path
from warehouse.paths import HubPaths
from warehouse.quality import check

report = check(HubPaths(Path(sys.argv[1])))
judged = [r for r in report.results if r.observed_value != "missing"]
print(len(report.results), [(r.table, r.success) for r in judged])
assert "great_expectations" not in sys.modules, "the process that checks imported GX"
"""


def test_a_check_runs_gx_in_its_child_and_never_imports_it_itself(tmp_path):
    paths = HubPaths(tmp_path / "hub").ensure()
    con = duckdb.connect(str(paths.working_db))
    con.execute("create schema marts; create table marts.dim_month as select date '2021-03-01' as month_start")
    con.close()
    run = subprocess.run([sys.executable, "-c", CHECK, str(paths.home)], capture_output=True, text=True,
                         env=dict(os.environ), timeout=300)
    assert run.returncode == 0, run.stderr
    assert "('marts.dim_month', False)" in run.stdout  # GX judged the one table there (it lacks dim_month's columns)
