"""Where the hub finds the public reference data it reads but never commits, and loading its defaults.

The files are listed in reference/manifest.toml (source, checksum, licence). They live in the reference directory:
HUB_REFERENCE_DIR when set; else ../shared/data/real beside the repository where it exists (as on every machine
of this project); else $HUB_HOME/reference, where `hub reference fetch` stores them. The manifest's `load = true`
files are loaded through the contract engine, audited like any delivery, when a hub first builds without them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from loaders.home import REPOSITORY, hub_home

MANIFEST = REPOSITORY / "reference" / "manifest.toml"
SHARED_REFERENCE = REPOSITORY.parent / "shared" / "data" / "real"
STATS19_GUIDE = "stats19/dft-road-safety-open-dataset-data-guide-2024.xlsx"


class ReferenceDataMissing(FileNotFoundError):
    pass


@dataclass(frozen=True)
class ReferenceFile:
    path: str           # relative to the reference directory
    description: str
    url: str
    sha256: str
    bytes: int
    licence: str
    load: bool
    converted: str | None = None  # how the published form differs from this file, when it does


def manifest() -> tuple[ReferenceFile, ...]:
    with MANIFEST.open("rb") as f:
        return tuple(ReferenceFile(**entry) for entry in tomllib.load(f)["file"])


def attribution() -> str:
    with MANIFEST.open("rb") as f:
        return tomllib.load(f)["attribution"]


def reference_dir(home: Path | None = None) -> Path:
    """home: the hub's runtime folder (default: hub_home())."""
    configured = os.environ.get("HUB_REFERENCE_DIR")
    if configured:
        return Path(configured).resolve()
    if SHARED_REFERENCE.is_dir():
        return SHARED_REFERENCE
    return fetched_dir(home or hub_home())


def fetched_dir(home: Path) -> Path:
    """Where `hub reference fetch` stores the files (inside the hub's runtime folder, never the repository)."""
    return home / "reference"


def reference_file(relative: str, home: Path | None = None) -> Path:
    """A reference file by its manifest path; a clear error, saying how to get it, when it is not there."""
    folder = reference_dir(home)
    path = folder / relative
    if not path.is_file():
        raise ReferenceDataMissing(
            f"the reference file {relative} is not in the reference directory {folder}: set HUB_REFERENCE_DIR to a "
            "directory holding the files of reference/manifest.toml, or run `hub reference fetch`")
    return path
