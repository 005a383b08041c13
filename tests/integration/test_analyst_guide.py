"""Every example query in docs/analyst-guide.md runs against the published demo and returns rows at the grain its
first line states ('-- one row per: a, b'): no two rows share those columns' values."""

from __future__ import annotations

import re

import duckdb
import pytest

from warehouse.paths import PROJECT_DIR

GUIDE = PROJECT_DIR / "docs" / "analyst-guide.md"
QUERIES = re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)
GRAIN = re.compile(r"-- one row per: (.+)\n")


@pytest.fixture(scope="module")
def published(demo):
    home, _ = demo
    con = duckdb.connect(str(home / "published" / "hub.duckdb"), read_only=True)
    yield con
    con.close()


def test_the_guide_has_at_least_ten_example_queries_each_stating_its_grain():
    assert len(QUERIES) >= 10
    assert all(GRAIN.match(query) for query in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=[f"query-{i}" for i in range(1, len(QUERIES) + 1)])
def test_each_example_query_returns_rows_at_its_stated_grain(published, query):
    grain = [column.strip() for column in GRAIN.match(query).group(1).split(",")]
    cursor = published.execute(query)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert rows, f"no rows from:\n{query}"
    assert set(grain) <= set(columns), (grain, columns)
    keys = [tuple(row[columns.index(c)] for c in grain) for row in rows]
    repeated = {key for key in keys if keys.count(key) > 1}
    assert not repeated, f"more than one row per {grain}: {sorted(repeated)[:5]}"


def test_joining_the_vli_on_the_2011_lsoa_drops_only_what_has_no_2011_lsoa(published):
    """fct_incidents mixes 2011 and 2021 LSOA codes; lsoa11_code joins vli_lsoa for every GM incident but those in the
    few new 2021 LSOAs made only of new output areas, which have no 2011 LSOA (null) and say so."""
    (by_code_delivered, unmatched_lsoa11, without_lsoa11, without_lsoa21) = published.execute("""
        select count(*) filter (where lsoa_code not in (select lsoa_code from marts.vli_lsoa)),
               count(*) filter (where lsoa11_code not in (select lsoa_code from marts.vli_lsoa)),
               count(*) filter (where lsoa11_code is null),
               count(*) filter (where lsoa21_code is null)
        from marts.fct_incidents
        where is_in_gm and lsoa_code is not null
    """).fetchone()
    assert by_code_delivered > without_lsoa11  # the demo's postcodes give new 2021 codes: the trap is real
    assert (unmatched_lsoa11, without_lsoa21) == (0, 0)
