"""One vocabulary across what readers see: the same thing has the same column name in every mart and open-data table.

Read from the models' YAML (no build): every model under models/marts (the marts and open_data schemas). README.md's
"Vocabulary" section is the reader's copy of the rules this test keeps.
"""

from __future__ import annotations

import yaml

from warehouse.paths import PROJECT_DIR

# A retired synonym and the name that replaced it.
RETIRED = {
    "count": "incident_count",
    "event_count": "incident_count (or measure_total in a KPI table)",
    "cell_count": "incident_count",
    "rate_per_1000": "rate_per_1000_population",
    "denominator_is_estimate": "population_is_estimate",
    "is_population_estimate": "population_is_estimate",
    "snapshot_month": "month_start",
    "occurred_month": "month_start",
    "per": "rate_per",
}

# Columns that keep a name the vocabulary retires elsewhere, because they name a different thing.
DISTINCT = {
    # The KPI's denominator is population or households (denominator_kind); the flag is about that column.
    ("kpi_results", "denominator_is_estimate"),
}


def _mart_columns():
    for path in sorted((PROJECT_DIR / "models" / "marts").rglob("*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models") or []:
            for column in model.get("columns") or []:
                yield model["name"], column["name"]


def test_the_marts_are_described_in_yaml():
    models = {model for model, _ in _mart_columns()}
    assert {"fct_incidents", "fct_ward_month", "kpi_results", "open_ward_month", "open_district_month",
            "fct_probation_caseload_ward_month", "strategic_assessment_district", "vli_ward"} <= models


def test_no_mart_or_open_data_column_uses_a_retired_synonym():
    offenders = sorted(f"{model}.{column} (say {RETIRED[column]})" for model, column in _mart_columns()
                       if column in RETIRED and (model, column) not in DISTINCT)
    assert offenders == []


def test_each_distinct_name_is_still_in_use():
    """An exception outlives its column only by mistake."""
    assert DISTINCT <= set(_mart_columns())
