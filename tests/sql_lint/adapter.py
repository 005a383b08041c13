"""dbt's `adapter` for sqlfluff's Jinja templater (.sqlfluff: library_path). Without a database no relation has
columns, so the stacked incidents render every declared column as the typed value a feed without it gets; a
dispatched macro renders as dbt-duckdb renders it."""

import importlib.util
import re
from functools import cache
from pathlib import Path

import jinja2

LINT_LIBRARY = Path(__file__).resolve().parent
MACROS = LINT_LIBRARY.parents[1] / "macros"


def get_columns_in_relation(relation):
    return []


def dispatch(macro_name, macro_namespace=None):
    """The project's duckdb__ implementation of a macro, else its default__, as dbt-duckdb picks."""
    macros = _project_macros()
    for prefix in ("duckdb__", "default__"):
        if hasattr(macros, prefix + macro_name):
            return getattr(macros, prefix + macro_name)
    raise LookupError(f"no duckdb__ or default__ implementation of {macro_name} in {MACROS}")


@cache
def _project_macros():
    """The macros of the files in macros/ that hold a dispatched implementation (the others may hold generic tests,
    which plain Jinja cannot read), rendered with the lint library's `dbt` (imported by path: `import dbt` is dbt
    itself) and a `var` that gives the variable's name, as sqlfluff's dbt builtins do."""
    spec = importlib.util.spec_from_file_location("lint_dbt", LINT_LIBRARY / "dbt.py")
    dbt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dbt)
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    environment.globals.update(dbt=dbt, var=lambda name, default=None: name)
    sources = (path.read_text(encoding="utf-8") for path in sorted(MACROS.glob("*.sql")))
    source = "\n".join(text for text in sources if re.search(r"{%-? macro (duckdb|default)__", text))
    return environment.from_string(source).module
