"""Helpers the tests share: a hub in its own folder, the `hub` command in a subprocess, a CSV read plainly."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from warehouse.paths import PROJECT_DIR, HubPaths

# The real police.uk GMP file: December 2016, cut to its first 2,499 rows (Bolton only).
GMP = "2016-12-greater-manchester-street_partial.csv"


def make_hub(folder: Path):
    from warehouse.pipeline import Hub

    return Hub(HubPaths(folder).ensure())


def copy_hub(home: Path, target: Path) -> Path:
    """A hub folder copied whole, its release links kept as links, to change without touching the original."""
    shutil.copytree(home, target, symlinks=True)
    return target


def hub_cli(home: Path, *args: str, without: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`hub ARGS` with HUB_HOME=home, the environment as it is less the variables named in `without`."""
    env = {**{k: v for k, v in os.environ.items() if k not in without}, "HUB_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "warehouse.cli", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
