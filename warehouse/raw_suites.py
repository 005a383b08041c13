"""The standard suite every raw feed gets, made from its contract: the checks that are the same for every feed.

Each delivery's loaded rows are exactly the rows in its raw table, no row is loaded twice, no row outlives a
replaced or refused delivery, and no row is dated in the future. A feed with a reviewed suite of its own in
expectations/ (named raw_<table>) keeps that one instead.
"""

from __future__ import annotations

from loaders.contracts import Contract
from loaders.database import sql_literal


def standard_raw_suite(contract: Contract) -> dict:
    feed = f"{contract.partner} {contract.feed.replace('_', ' ')}"
    expectations = [
        {
            "type": "expect_compound_columns_to_be_unique",
            "kwargs": {"column_list": ["load_id", "source_row"]},
            "severity": "critical",
            "meta": {"meaning": f"No delivered {feed} row was loaded twice."},
        },
        {
            "type": "unexpected_rows_expectation",
            "kwargs": {"unexpected_rows_query": (
                "select loads.load_id from audit.loads as loads left join (select load_id, count(*) as n from {batch} "
                "group by load_id) as landed on landed.load_id = loads.load_id "
                f"where loads.partner = {sql_literal(contract.partner)} and loads.feed = {sql_literal(contract.feed)} "
                "and loads.status = 'loaded' and coalesce(landed.n, 0) <> loads.rows_loaded")},
            "description": "Every delivery's loaded rows are all in the raw table",
            "severity": "critical",
            "meta": {"meaning": f"For every current {feed} delivery, the rows the loader says it loaded are exactly "
                                "the rows in the table.", "column": "load_id"},
        },
        {
            "type": "unexpected_rows_expectation",
            "kwargs": {"unexpected_rows_query": "select * from {batch} where load_id not in "
                                                "(select load_id from audit.loads where status = 'loaded')"},
            "description": "Every row belongs to a current delivery",
            "severity": "critical",
            "meta": {"meaning": f"No {feed} row is left over from a delivery that was replaced or refused.",
                     "column": "load_id"},
        },
    ]
    if contract.period:
        expectations.append({
            "type": "unexpected_rows_expectation",
            "kwargs": {"unexpected_rows_query": "select * from {batch} where period_month > current_date"},
            "description": "No period in the future",
            "severity": "critical",
            "meta": {"meaning": f"No {feed} row belongs to a month that has not begun.", "column": "period_month"},
        })
    return {
        "name": f"raw_{contract.table}",
        "meta": {
            "table": f"raw.{contract.table}",
            "partner": contract.partner,
            "period_column": "period_month" if contract.period else None,
            "purpose": f"Did every {feed} delivery land whole, once, and traceably?",
            "generated_from": "the feed's contract (warehouse/raw_suites.py)",
        },
        "expectations": expectations,
    }
