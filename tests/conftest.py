"""Fixtures shared across the suite: where the real extracts are, and the hubs built once per session (a test that
changes one works on its own copy: `copy_hub`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import GMP, make_hub
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


@pytest.fixture(scope="session")
def published_gmp_hub(tmp_path_factory, real_dir) -> Path:
    """The folder of a hub holding the real GMP file (2,499 rows), built, checked and published once (its catalogue
    generated). Its name has an apostrophe, which once broke hub publish (a path spliced into SQL). Read it, or
    change a copy of it (`copy_hub`)."""
    hub = make_hub(tmp_path_factory.mktemp("built") / "o'hub")
    hub.ingest("police", real_dir / "police_street" / GMP)
    hub.build()
    assert hub.check().passed
    hub.publish()
    return hub.paths.home

