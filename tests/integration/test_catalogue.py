"""The catalogue (dbt's docs page, published beside the database) works under its Content-Security-Policy, and text in
the manifest written as markup runs nothing, where dbt's own `--static` page would run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt.task.docs import DOCS_INDEX_FILE_PATH

from demo.run import DEMO_AS_AT
from tests.browser import open_for_payloads
from tests.helpers import copy_hub
from warehouse.catalogue import PLACEHOLDERS, catalogue_page, script_safe
from warehouse.paths import HubPaths
from warehouse.transform import generate_catalogue, run_dbt

PAYLOAD = "</script><script>window.hubXss=1</script><img src=nowhere onerror=window.hubXss=2>"



@pytest.fixture(scope="module")
def hostile_manifest(demo) -> tuple[str, str]:
    """The demo's manifest with a model's description made hostile, and its catalog."""
    target = demo[0] / "dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    node = manifest["nodes"]["model.partnership_hub.open_ward_month"]
    node["description"] = PAYLOAD + node["description"]
    return json.dumps(manifest), (target / "catalog.json").read_text(encoding="utf-8")


def test_the_published_catalogue_works_under_its_policy(demo):
    catalogue = demo[0] / "published" / "catalogue.html"
    assert '<meta http-equiv="Content-Security-Policy"' in catalogue.read_text(encoding="utf-8")
    marker, text, console = open_for_payloads(catalogue, settle_ms=1000)
    assert marker is None
    assert "partnership_hub" in text and "Welcome" in text  # the navigation and overview rendered
    assert not [line for line in console if "script-src" in line], console[:5]


def _models_without_their_sql(page: Path, manifest: Path) -> set[str]:
    """The models of `manifest` whose compiled SQL the catalogue `page` does not show."""
    text = page.read_text(encoding="utf-8")
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    models = {key: node for key, node in nodes.items() if node["resource_type"] == "model"}
    assert len(models) > 40
    return {key for key, node in models.items()
            if not (node.get("compiled_code") and script_safe(json.dumps(node["compiled_code"])[1:-1]) in text)}


def test_the_published_catalogue_shows_the_sql_each_model_was_built_with(demo):
    page, manifest = demo[0] / "published" / "catalogue.html", demo[0] / "dbt" / "target" / "manifest.json"
    assert _models_without_their_sql(page, manifest) == set()


def test_a_manifest_left_without_the_models_sql_is_compiled_again(demo, tmp_path):
    """`dbt parse` since the build writes a manifest without compiled SQL: the catalogue then has dbt compile it."""
    paths = HubPaths(copy_hub(demo[0], tmp_path / "hub"))
    run_dbt(paths, "parse")
    manifest = paths.dbt_dir / "target" / "manifest.json"
    assert len(_models_without_their_sql(generate_catalogue(paths, DEMO_AS_AT), manifest)) == 0


def test_markup_in_the_manifest_runs_nothing_where_dbts_static_page_would_run_it(hostile_manifest, tmp_path):
    manifest, catalog = hostile_manifest
    ours = tmp_path / "catalogue.html"
    ours.write_text(catalogue_page(manifest, catalog), encoding="utf-8")
    assert open_for_payloads(ours, settle_ms=1000)[0] is None
    # dbt's --static: the two files pasted into its script as they are, no policy
    template = Path(DOCS_INDEX_FILE_PATH).read_text(encoding="utf-8")
    dbt_static = tmp_path / "dbt-static.html"
    dbt_static.write_text(template.replace(PLACEHOLDERS["manifest"], manifest).replace(PLACEHOLDERS["catalog"], catalog),
                          encoding="utf-8")
    assert open_for_payloads(dbt_static, settle_ms=1000)[0] in (1, 2)
