"""Load ids (audit.loads.load_id) for connections of one process that load feeds at the same time.

A batch takes its ids inside its own transaction, which cannot see the ids another connection's transaction has
taken and not yet committed: two feeds loading at once would take the same ids, and the second to commit would fail
on audit.loads' primary key. The ids are therefore handed out under a lock, from whichever is higher: the loads the
taking connection sees, or the ids already handed out. Read from the loads themselves rather than a sequence: after
a crash DuckDB 1.5.6 can hand out a sequence's last value again, and every later load would fail on the duplicate.
"""

from __future__ import annotations

import threading

import duckdb


class LoadIds:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 1

    def take(self, con: duckdb.DuckDBPyConnection, count: int) -> int:
        """The first of `count` ids no other load of the database holds or has been handed."""
        with self._lock:
            (after_loads,) = con.execute("select coalesce(max(load_id), 0) + 1 from audit.loads").fetchone()
            first = max(after_loads, self._next)
            self._next = first + count
            return first
