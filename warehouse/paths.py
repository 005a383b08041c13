"""Where the hub keeps its files: one runtime folder, `HUB_HOME` (default `var/` in the repo)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class HubPaths:
    home: Path

    @classmethod
    def from_env(cls) -> "HubPaths":
        home = os.environ.get("HUB_HOME")
        return cls(Path(home).resolve() if home else PROJECT_DIR / "var")

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
        return self.published_dir / "hub.duckdb"

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

    def ensure(self) -> "HubPaths":
        for folder in (self.home, self.incoming, self.published_dir, self.reports, self.dbt_dir, self.temp):
            folder.mkdir(parents=True, exist_ok=True)
        return self
