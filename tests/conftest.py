"""Fixtures shared across the suite: where the real extracts are, and a hub in its own folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warehouse.paths import PROJECT_DIR

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# The tests' own pseudonym key (a real run refuses to start without one; tests of that remove it).
os.environ.setdefault("HUB_PSEUDONYM_KEY", bytes(range(100, 132)).hex())

SHARED_REAL = PROJECT_DIR.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    assert SHARED_REAL.is_dir(), f"the real extracts are expected beside the repository, at {SHARED_REAL}"
    return SHARED_REAL


@pytest.fixture(scope="session")
def real_police_files(real_dir: Path) -> list[Path]:
    files = sorted((real_dir / "police_street").glob("*.csv"))
    assert len(files) == 4
    return files

