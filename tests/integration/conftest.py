"""One demo hub for the tests that read what the demo publishes: `hub demo` from nothing, run once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import hub_cli

DEMO_SCALE = "0.03"


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[Path, str]:
    """(HUB_HOME of a finished demo, what `hub demo` printed)."""
    home = tmp_path_factory.mktemp("demo")
    result = hub_cli(home, "demo", "--scale", DEMO_SCALE)
    assert result.returncode == 0, result.stdout + result.stderr
    return home, result.stdout
