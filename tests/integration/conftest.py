"""One demo hub for the tests that read what the demo publishes: `hub demo` from nothing, run once for the whole run
(shared by the pytest-xdist workers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import built_once, hub_cli

DEMO_SCALE = "0.03"


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[Path, str]:
    """(HUB_HOME of a finished demo, what `hub demo` printed)."""
    def build(folder: Path) -> None:
        result = hub_cli(folder / "home", "demo", "--scale", DEMO_SCALE)
        assert result.returncode == 0, result.stdout + result.stderr
        (folder / "printed.txt").write_text(result.stdout, encoding="utf-8")

    folder = built_once(tmp_path_factory, "demo", build)
    return folder / "home", (folder / "printed.txt").read_text(encoding="utf-8")
