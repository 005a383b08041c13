"""The raw and audit schemas, and the loaders' audit tables: every load and every rejected row, kept for good. The
warehouse keeps its own records (each build, each quality result) in the same audit schema."""

from __future__ import annotations

import duckdb

AUDIT_DDL = """
create schema if not exists raw;
create schema if not exists audit;
-- Load ids were once drawn from this sequence, which DuckDB 1.5.6 does not keep across a crash (it can hand out its
-- last value again): they are now max + 1 within each load's transaction (loaders.engine).
drop sequence if exists audit.load_id_seq;

create table if not exists audit.loads (
    load_id         bigint primary key,
    partner         varchar not null,
    feed            varchar not null,
    file_name       varchar not null,
    file_path       varchar not null,
    sha256          varchar not null,
    delivered_at    timestamp not null,   -- the file's modification time: when the partner delivered it; of two
                                          -- deliveries of a slice, the later delivered is live
    periods         varchar,
    delivery_slice  varchar,              -- what the delivery is for (e.g. 2016-12|Greater Manchester Police)
    rows_read       bigint not null,
    rows_loaded     bigint not null,
    rows_rejected   bigint not null,
    status          varchar not null,     -- loaded (live) | superseded | failed (refused whole)
    message         varchar,              -- why failed, kept out or reloaded
    superseded_by   bigint,
    started_at      timestamp not null,
    finished_at     timestamp not null
);

create table if not exists audit.rejects (
    load_id         bigint not null,
    file_name       varchar not null,
    source_row      bigint not null,
    column_name     varchar,
    reason          varchar not null,
    record          varchar not null
);
"""


def ensure_audit_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(AUDIT_DDL)
