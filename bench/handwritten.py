"""The main marts built by one hand-written DuckDB script (handwritten.sql), the alternative to `dbt build` that the
build benchmark times: what an analyst would write without dbt."""

from __future__ import annotations

from pathlib import Path

from loaders.database import connect
from loaders.spatial import load_spatial
from warehouse.paths import PROJECT_DIR, HubPaths
from warehouse.pipeline import as_at_from_env
from warehouse.transform import prepare_inputs, run_dbt

SCRIPT = Path(__file__).with_name("handwritten.sql")
# The script's ward and district facts, as dbt builds them: with every seed and model upstream of them.
FACTS = ("fct_ward_month", "fct_district_month")


def build_main_marts(database: Path) -> None:
    """Write the schema `handwritten` (fct_ward_month, fct_district_month, kpi_crime_rate) into a hub's working
    database from its raw tables and the repository's seed CSVs."""
    with connect(database) as con:
        # the script names the seed CSVs relative to the repository
        con.execute(f"set file_search_path = '{PROJECT_DIR}'")
        load_spatial(con)
        con.execute(SCRIPT.read_text(encoding="utf-8"))


def dbt_facts(database: Path) -> None:
    """The same two facts built by dbt from the same raw tables: every seed and model they depend on, without data
    tests (the script has none), so dbt and the script are timed on the same work. `database` is a hub's working
    database (hub.duckdb in the hub's home)."""
    dbt_build_without_tests(database, "--select", *(f"+{model}" for model in FACTS))


def dbt_build_without_tests(database: Path, *selection: str) -> None:
    """`hub build --full-refresh` of the hub whose working database is `database` (every raw table made and the
    reference data loaded first, as it does), without data or unit tests, with the hub's as-at date (dbt's vars as
    `hub build` gives them, so dbt keeps its saved parse), limited to `selection` (dbt's arguments) if any."""
    paths = HubPaths(database.parent)
    prepare_inputs(paths)
    run_dbt(paths, "build", "--full-refresh", "--exclude-resource-type", "test", "unit_test", *selection,
            as_at=as_at_from_env())
