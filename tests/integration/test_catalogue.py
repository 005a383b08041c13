"""The catalogue (dbt's docs page, published beside the database) works under its Content-Security-Policy, and text in
the manifest written as markup runs nothing, where dbt's own `--static` page would run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt.task.docs import DOCS_INDEX_FILE_PATH

from tests.browser import open_for_payloads
from warehouse.catalogue import PLACEHOLDERS, catalogue_page

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
