"""dbt's `graph` for sqlfluff's Jinja templater (.sqlfluff: library_path): the one node the models read from it, the
canonical incident's declaration (macros/incidents.sql), from its YAML, so the linter sees every declared column as
dbt renders it. Not imported by the hub."""

from pathlib import Path

import yaml

DECLARATION = Path(__file__).resolve().parents[2] / "models" / "intermediate" / "_canonical_incident.yml"


def _declared_nodes():
    for model in yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))["models"]:
        yield f"model.partnership_hub.{model['name']}", {
            "columns": {column["name"]: {"config": {}, **column} for column in model["columns"]}}


nodes = dict(_declared_nodes())
