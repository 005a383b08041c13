"""The canonical incident is declared once (models/intermediate/_canonical_incident.yml): its columns, their types and
meanings are written there and nowhere else, and adding one is a change to the declaration and the feeds that fill it.

Read from the project's files (no build), but for the last test, which adds a column to a copy of the project and
runs the few models it passes through on a copy of a small built hub.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from loaders.database import connect
from loaders.spatial import spatial_extension_path
from tests.helpers import copy_hub
from warehouse.area import current_area
from warehouse.paths import PROJECT_DIR, HubPaths

MODELS = PROJECT_DIR / "models"
DECLARATION = MODELS / "intermediate" / "_canonical_incident.yml"
STACKED = MODELS / "intermediate" / "int_incidents_stacked.sql"


def _yaml_models(root: Path = MODELS):
    for path in sorted(root.rglob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
            yield path, model


def _declaration() -> dict:
    (model,) = yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))["models"]
    return model


def _incident_feeds() -> list[str]:
    """The staging models stacked into the incidents (int_incidents_stacked's list)."""
    return re.findall(r"'(stg_\w+)'", STACKED.read_text(encoding="utf-8"))


def test_the_declaration_is_an_enforced_contract_with_a_type_and_a_meaning_for_every_column():
    declaration = _declaration()
    assert declaration["name"] == "int_incidents_stacked"
    assert declaration["config"]["contract"] == {"enforced": True}
    columns = declaration["columns"]
    assert len(columns) >= 35
    assert [c["name"] for c in columns if not (c.get("data_type") and c.get("description"))] == []


def test_no_other_yaml_declares_the_stacked_incidents_and_no_doc_block_restates_a_canonical_column():
    declared_in = [path.name for path, model in _yaml_models() if model["name"] == "int_incidents_stacked"]
    assert declared_in == [DECLARATION.name]
    restated = [f"{path.relative_to(PROJECT_DIR)}: {line.strip()}" for path in sorted(MODELS.rglob("*.yml"))
                for line in path.read_text(encoding="utf-8").splitlines() if 'doc("incident_' in line]
    assert restated == []
    assert list(MODELS.rglob("*.md")) == []


def test_an_incident_feeds_staging_yaml_documents_only_its_own_columns():
    declared = {c["name"] for c in _declaration()["columns"]}
    feeds = set(_incident_feeds())
    assert len(feeds) == 8
    restated = sorted(f"{model['name']}.{column['name']}" for _, model in _yaml_models(MODELS / "staging")
                      if model["name"] in feeds for column in model.get("columns") or []
                      if column["name"] in declared)
    assert restated == []


def test_no_incident_feed_writes_out_the_columns_it_lacks():
    """A feed selects what it knows; the stacking fills the rest from the declaration, so no staging SQL (nor the
    police.uk street macro two feeds share) spells out a typed null."""
    sql = [*(MODELS / "staging").rglob("*.sql"), PROJECT_DIR / "macros" / "police_uk_street.sql"]
    feeds = set(_incident_feeds())
    written = [path.name for path in sql if (path.stem in feeds or path.parent.name == "macros")
               and "cast(null" in path.read_text(encoding="utf-8")]
    assert written == []


def test_every_mart_reads_the_incidents_from_fct_incidents():
    reads_intermediate = sorted(path.name for path in (MODELS / "marts").rglob("*.sql")
                                if path.stem != "fct_incidents"
                                and re.search(r"ref\('int_incidents_", path.read_text(encoding="utf-8")))
    assert reads_intermediate == []
    assert (MODELS / "intermediate" / "int_incidents_placed.sql").exists()
    assert not list(MODELS.rglob("int_incidents_unioned*"))


def test_every_model_and_column_in_yaml_has_a_description():
    undescribed = sorted(f"{model['name']}" + (f".{column['name']}" if column else "")
                         for _, model in _yaml_models()
                         for column in [None, *(model.get("columns") or [])]
                         if not str((column or model).get("description") or "").strip())
    assert undescribed == []


def _dbt(project: Path, paths: HubPaths, *args: str) -> subprocess.CompletedProcess:
    """dbt on a copy of the project, as warehouse.transform runs it on the project itself."""
    env = {**os.environ, "HUB_DB_PATH": str(paths.working_db), "HUB_TEMP_DIR": str(paths.temp),
           "DBT_TARGET_PATH": str(project / "target"), "DBT_LOG_PATH": str(project / "logs")}
    settings = {**current_area(paths).dbt_vars(), "spatial_extension": str(spatial_extension_path()),
                "project_dir": str(project)}
    return subprocess.run([str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(project),
                           "--profiles-dir", str(project), "--vars", json.dumps(settings)],
                          env=env, capture_output=True, text=True, cwd=project, timeout=600)


def _declare_trial_column(declaration: Path, original: str, data_type: str) -> None:
    declaration.write_text(original + (
        "      - name: trial_month_label\n"
        f"        data_type: {data_type}\n"
        "        description: A trial column, the month as YYYY-MM.\n"), encoding="utf-8")


def test_a_column_declared_once_and_filled_by_one_feed_reaches_fct_incidents(published_gmp_hub, tmp_path):
    """A trial column: one entry in the declaration and one line in the police.uk street staging, nothing else.
    Declared with another type than the feed gives, the build stops naming both; declared right, the column reaches
    fct_incidents with the street files' values, its declared type and its declared meaning, and every other feed
    gets it as a typed null."""
    paths = HubPaths(copy_hub(published_gmp_hub, tmp_path / "hub"))
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, project / name)
    for folder in ("models", "macros", "seeds"):
        shutil.copytree(PROJECT_DIR / folder, project / folder)
    street = project / "macros" / "police_uk_street.sql"
    line = "        source.month as occurred_month,\n"
    street.write_text(street.read_text(encoding="utf-8").replace(
        line, line + "        strftime(source.month, '%Y-%m') as trial_month_label,\n"), encoding="utf-8")
    declaration = project / "models" / "intermediate" / "_canonical_incident.yml"
    original = declaration.read_text(encoding="utf-8")

    _declare_trial_column(declaration, original, "integer")
    refused = _dbt(project, paths, "run", "--select", "stg_police__street_crimes", "int_incidents_stacked")
    assert refused.returncode != 0
    assert ("gives trial_month_label as varchar, but the canonical incident declares it integer"
            in refused.stdout), refused.stdout[-3000:]

    _declare_trial_column(declaration, original, "varchar")
    ran = _dbt(project, paths, "run", "--full-refresh", "--select",
               "stg_police__street_crimes", "int_incidents_stacked", "int_incidents_placed", "fct_incidents")
    assert ran.returncode == 0, ran.stdout[-3000:]

    stacked = (project / "target" / "compiled" / "partnership_hub" / "models" / "intermediate"
               / "int_incidents_stacked.sql").read_text(encoding="utf-8")
    assert stacked.count("cast(null as varchar) as trial_month_label") == 7
    con = connect(paths.working_db, read_only=True)
    try:
        assert con.execute(
            "select data_type, comment from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'fct_incidents' and column_name = 'trial_month_label'").fetchall() == [
            ("VARCHAR", "A trial column, the month as YYYY-MM.")]
        assert con.execute(
            "select count(*), count(*) filter (where trial_month_label = strftime(month_start, '%Y-%m')) "
            "from marts.fct_incidents where feed = 'street_crime'").fetchone() == (2499, 2499)
    finally:
        con.close()
