"""Helpers the tests share: a hub in its own folder, a folder built once for the whole run, the `hub` command in a
subprocess, a CSV read plainly."""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from warehouse.paths import PROJECT_DIR, HubPaths

# The real police.uk GMP file: December 2016, cut to its first 2,499 rows (Bolton only).
GMP = "2016-12-greater-manchester-street_partial.csv"


def make_hub(folder: Path, start: Path | None = None):
    """A hub in folder: a new one, or a copy of the hub folder `start` (e.g. the session's `hub_template`)."""
    from warehouse.pipeline import Hub

    if start is not None:
        copy_hub(start, folder)
    return Hub(HubPaths(folder).ensure())


def build_models(hub, *models: str) -> None:
    """What `hub build` does, for the named models and everything upstream of them, with their data tests: a test of
    one model needs no more of the warehouse than that. Not recorded as a build (the gate would not publish it)."""
    from warehouse.transform import prepare_inputs, run_dbt

    prepare_inputs(hub.paths)
    run_dbt(hub.paths, "build", "--select", *(f"+{model}" for model in models), "--indirect-selection", "cautious",
            "--exclude-resource-type", "unit_test", as_at=hub.as_at)


def copy_hub(home: Path, target: Path) -> Path:
    """A hub folder copied whole, its release links kept as links, to change without touching the original."""
    shutil.copytree(home, target, symlinks=True, dirs_exist_ok=True)
    return target


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, made by build(folder) once for the whole run. Under pytest-xdist every worker that needs it
    asks: the first builds it, the others wait on its lock and then share it. Read it, or change a copy."""
    root = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # the run's own folder, above each worker's
    folder, built = root / name, root / f"{name}.built"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            built.touch()
    return folder


def hub_cli(home: Path, *args: str, without: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`hub ARGS` with HUB_HOME=home, the environment as it is less the variables named in `without`."""
    env = {**{k: v for k, v in os.environ.items() if k not in without}, "HUB_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "warehouse.cli", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
