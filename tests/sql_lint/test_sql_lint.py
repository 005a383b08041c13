"""Every model and macro is clean under the project's SQL linter configuration (.sqlfluff)."""

from __future__ import annotations

import json
import subprocess
import sys

from warehouse.paths import PROJECT_DIR

SQLFLUFF = [sys.executable, "-m", "sqlfluff"]


def test_every_model_and_macro_passes_the_sql_linter():
    # in a process of its own: sqlfluff imports the templater's library (tests/sql_lint/dbt.py) under the name dbt
    linted = subprocess.run([*SQLFLUFF, "lint", "models", "macros", "--format", "json", "--processes", "1"],
                            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900)
    violations = [f"{f['filepath']}:{v['start_line_no']}: {v['code']} {v['description']}"
                  for f in json.loads(linted.stdout) for v in f["violations"]]
    assert violations == [], "\n".join(violations)
    assert linted.returncode == 0, linted.stderr
