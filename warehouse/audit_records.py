"""The warehouse's own records in the audit schema the loaders create (loaders.audit): each build, each quality result.

Both exist before dbt first runs: the models read them (int_changed_months reads audit.builds, the partner
scorecard audit.dq_results)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders.audit import ensure_audit_schema
from loaders.database import connect

AUDIT_RECORDS_DDL = """
-- One row per successful hub build: the last load it took in, and a digest of the dbt project it ran. The next
-- build rebuilds only the months of later loads, unless the project or the postcode directory changed.
create table if not exists audit.builds (
    finished_at     timestamp not null,
    last_load_id    bigint not null,
    project_digest  varchar not null,
    full_refresh    boolean not null
);

create table if not exists audit.dq_results (
    run_id              varchar not null,
    run_at              timestamp not null,
    suite               varchar not null,
    table_name          varchar not null,
    expectation_type    varchar not null,
    column_name         varchar,
    severity            varchar not null,
    meaning             varchar,
    success             boolean not null,
    element_count       bigint,
    unexpected_count    bigint,
    unexpected_percent  double,
    observed_value      varchar,
    partner             varchar,
    period              varchar
);
"""


def ensure_audit_records(con: duckdb.DuckDBPyConnection) -> None:
    ensure_audit_schema(con)
    con.execute(AUDIT_RECORDS_DDL)


def prepare_audit_records(db_path: Path) -> None:
    con = connect(db_path)
    try:
        ensure_audit_records(con)
    finally:
        con.close()
