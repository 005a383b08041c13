"""Fixtures shared across the suite: where the real extracts are, and the hubs built once per run, shared by the
pytest-xdist workers (`built_once`; a test that changes one works on its own copy: `copy_hub`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import GMP, built_once, make_hub
from warehouse.paths import PROJECT_DIR, HubPaths

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
def hub_template(tmp_path_factory) -> Path:
    """A hub holding only the reference data and dbt's parse of the project. A test hub copied from it
    (`make_hub(folder, hub_template)`) is what a new hub is after its first reference load, without the ~12 s load
    and the ~9 s parse each time; the tests of the first load itself start from nothing."""
    from warehouse.transform import prepare_inputs, run_dbt

    def build(folder: Path) -> None:
        paths = HubPaths(folder / "hub").ensure()
        prepare_inputs(paths)
        run_dbt(paths, "parse")

    return built_once(tmp_path_factory, "template", build) / "hub"


@pytest.fixture(scope="session")
def published_gmp_hub(tmp_path_factory, real_dir, hub_template) -> Path:
    """The folder of a hub holding the real GMP file (2,499 rows), built, checked and published once (its catalogue
    generated). Its name has an apostrophe, which once broke hub publish (a path spliced into SQL). Read it, or
    change a copy of it (`copy_hub`)."""
    def build(folder: Path) -> None:
        hub = make_hub(folder / "o'hub", hub_template)
        hub.ingest("police", real_dir / "police_street" / GMP)
        hub.build()
        assert hub.check().passed
        hub.publish()

    return built_once(tmp_path_factory, "gmp", build) / "o'hub"


# The modules that take longest (each builds hubs of its own), started first: pytest-xdist hands each worker whole
# modules in the order collected, so a long module collected last would run alone at the end.
LONGEST_FIRST = ("tests/integration/test_spark.py", "tests/test_bench_smoke.py",
                 "tests/integration/test_incremental_build.py", "tests/integration/test_area.py",
                 "tests/integration/test_publishing.py", "tests/test_bench_national.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.path.relative_to(PROJECT_DIR).as_posix()
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
