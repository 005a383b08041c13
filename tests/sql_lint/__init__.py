"""The SQL linter's test, and what sqlfluff's Jinja templater needs to render the models (.sqlfluff: library_path):
here, `var` reading the project's own vars from dbt_project.yml, as dbt does; in dbt.py, dbt's cross-database macros."""

from pathlib import Path

import yaml

_VARS = yaml.safe_load((Path(__file__).resolve().parents[2] / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def var(name, default=None):
    return _VARS.get(name, default)
