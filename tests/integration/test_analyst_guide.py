"""Every example query in docs/analyst-guide.md runs against the published demo and returns rows."""

from __future__ import annotations

import re

import duckdb
import pytest

from warehouse.paths import PROJECT_DIR

GUIDE = PROJECT_DIR / "docs" / "analyst-guide.md"
QUERIES = re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_guide_has_at_least_ten_example_queries():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("query", QUERIES, ids=[f"query-{i}" for i in range(1, len(QUERIES) + 1)])
def test_each_example_query_returns_rows_from_the_published_demo(demo, query):
    home, _ = demo
    con = duckdb.connect(str(home / "published" / "hub.duckdb"), read_only=True)
    try:
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    assert rows, f"no rows from:\n{query}"
