"""Read-only access to the published database, for analysts' notebooks and BI tools alike."""

from __future__ import annotations

import sqlalchemy

from warehouse.paths import HubPaths


def published_url(paths: HubPaths) -> str:
    return f"duckdb:///{paths.published_db}"


def published_engine(paths: HubPaths) -> sqlalchemy.Engine:
    """An engine that can only read: a reader never takes the write lock, so it never blocks a publish."""
    return sqlalchemy.create_engine(published_url(paths), connect_args={"read_only": True})
