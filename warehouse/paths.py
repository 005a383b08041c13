"""Where the hub keeps its files: one runtime folder, `HUB_HOME` (default `var/` in the repo)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from loaders.home import hub_home

PROJECT_DIR = Path(__file__).resolve().parent.parent
OWNER_ONLY_FOLDER = 0o700


def published_mode() -> int:
    """The mode of every published file (HUB_PUBLISHED_MODE, octal; default 0640: the owner and the readers' group)."""
    return int(os.environ.get("HUB_PUBLISHED_MODE", "0640"), 8)


def published_group() -> str | None:
    """The group published files are given (HUB_PUBLISHED_GROUP, a name or number); unset leaves the owner's."""
    return os.environ.get("HUB_PUBLISHED_GROUP") or None


def folder_mode(file_mode: int) -> int:
    """A folder's mode for files of file_mode: whoever may read the files may list and enter the folder."""
    return file_mode | ((file_mode & 0o444) >> 2)


@dataclass(frozen=True)
class HubPaths:
    home: Path

    @classmethod
    def from_env(cls) -> "HubPaths":
        return cls(hub_home())

    @property
    def working_db(self) -> Path:
        return self.home / "hub.duckdb"

    @property
    def incoming(self) -> Path:
        return self.home / "incoming"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def published_db(self) -> Path:
        """What readers open: a link into the current release (publish.py), so the name never changes."""
        return self.published_dir / "hub.duckdb"

    @property
    def releases(self) -> Path:
        """One folder per publish; `current` names the one readers see."""
        return self.published_dir / "releases"

    @property
    def current_release(self) -> Path:
        return self.published_dir / "current"

    @property
    def published_catalogue(self) -> Path:
        return self.published_dir / "catalogue.html"

    @property
    def parquet_dir(self) -> Path:
        return self.published_dir / "parquet"

    @property
    def open_data_dir(self) -> Path:
        """The public open-data set (hub publish --open): suppressed ward and district tables, CSV and Parquet."""
        return self.published_dir / "open"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def data_docs(self) -> Path:
        return self.reports / "data_docs"

    @property
    def dbt_dir(self) -> Path:
        """dbt's target and log folders, kept per hub home so two hubs never share them."""
        return self.home / "dbt"

    @property
    def temp(self) -> Path:
        return self.home / "tmp"

    @property
    def lock_file(self) -> Path:
        """Held by the one command writing to this hub (warehouse.lock)."""
        return self.home / "hub.lock"

    def ensure(self) -> "HubPaths":
        """The folders, owner-only but for the way to the published files: their readers may pass through the
        hub's folder (not list it) and read the published folder."""
        for folder in (self.home, self.incoming, self.published_dir, self.reports, self.dbt_dir, self.temp):
            folder.mkdir(parents=True, exist_ok=True)
        readers_folder = folder_mode(published_mode())
        _set_mode(self.home, OWNER_ONLY_FOLDER | (readers_folder & 0o011))
        for folder in (self.incoming, self.reports, self.dbt_dir, self.temp):
            _set_mode(folder, OWNER_ONLY_FOLDER)
        for folder in (self.published_dir, self.releases):
            if folder.exists():
                _set_mode(folder, readers_folder)
        if self.working_db.exists():
            _set_mode(self.working_db, 0o600)
        return self


def _set_mode(path: Path, mode: int) -> None:
    """chmod only when needed: a hub on a read-only disk can still be read (`hub status`)."""
    if path.stat().st_mode & 0o7777 != mode:
        path.chmod(mode)
