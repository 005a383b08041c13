"""Fixtures of the tests of GX's behaviour in a check."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine


@pytest.fixture
def statements() -> list[str]:
    """Every SQL statement run through SQLAlchemy while the test runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)
