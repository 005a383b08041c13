"""What GX imports only for expectations the hub does not use (scipy.stats, altair) is put off until something
reads from it (warehouse/gx_deferred_imports.py): a whole validation of a built hub, Data Docs included, never
does, and an expectation that did would find the real module behind the stand-in."""

from __future__ import annotations

import subprocess
import sys

from warehouse.paths import PROJECT_DIR

VALIDATE = """
import sys
from pathlib import Path
import warehouse.validation
from warehouse.gx_deferred_imports import DeferredModule
from warehouse.paths import HubPaths
from warehouse.quality import load_suites

paths = HubPaths(Path(sys.argv[1]))
site = Path(sys.argv[2])
results = warehouse.validation.validate_suites(paths, load_suites(paths=paths), "deferred", site)
print(len(results), (site / "index.html").exists(),
      [name for name in ("scipy.stats", "altair") if not isinstance(sys.modules[name], DeferredModule)])
"""

USE = """
import warehouse.validation
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl_divergence
print(round(kl_divergence.stats.entropy([0.5, 0.5], [0.25, 0.75]), 6), kl_divergence.alt.Chart.__module__)
"""


def _python(script: str, *args: str) -> str:
    run = subprocess.run([sys.executable, "-c", script, *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout.strip()


def test_validating_every_suite_of_a_built_hub_never_imports_them(published_gmp_hub, tmp_path):
    count, docs, imported = _python(VALIDATE, str(published_gmp_hub), str(tmp_path / "site")).split(" ", 2)
    assert int(count) > 100 and docs == "True"
    assert imported == "[]"


def test_an_expectation_using_them_gets_the_real_modules():
    # entropy of (1/2, 1/2) against (1/4, 3/4): 1/2 ln 2 + 1/2 ln(2/3) = 0.143841
    assert _python(USE) == "0.143841 altair.vegalite.v6.api"
