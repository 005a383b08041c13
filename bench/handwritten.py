"""The main marts built by one hand-written DuckDB script (handwritten.sql), the alternative to `dbt build` that the
build benchmark times: what an analyst would write without dbt."""

from __future__ import annotations

from pathlib import Path

from warehouse.database import connect
from warehouse.paths import PROJECT_DIR

SCRIPT = Path(__file__).with_name("handwritten.sql")


def build_main_marts(database: Path) -> None:
    """Write the schema `handwritten` (fct_ward_month, fct_district_month, kpi_crime_rate) into a hub's working
    database from its raw tables and the repository's seed CSVs."""
    with connect(database) as con:
        # the script names the seed CSVs relative to the repository
        con.execute(f"set file_search_path = '{PROJECT_DIR}'")
        con.execute(SCRIPT.read_text(encoding="utf-8"))
