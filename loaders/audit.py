"""The raw and audit schemas, and the loaders' audit tables: every load and every rejected row, kept for good. The
warehouse keeps its own records (each build, each quality result) in the same audit schema."""

from __future__ import annotations

import duckdb

from loaders.audit_upgrade import holds_text_periods, upgrade_text_periods

AUDIT_DDL = """
create schema if not exists raw;
create schema if not exists audit;
-- Load ids were once drawn from this sequence, which DuckDB 1.5.6 does not keep across a crash (it can hand out its
-- last value again): they are now taken from the loads themselves (loaders.load_ids).
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
    -- What the delivery is for (its slice, e.g. December 2016 of Greater Manchester Police): a later delivery of
    -- the same slice replaces it. Each part is null where the feed's slice has no such part (a reference lookup
    -- has neither), and both are null for a delivery none of whose rows loaded (it is for no slice).
    slice_period_start  date,             -- the first day of the month or year it is for
    slice_period_grain  varchar,          -- month | year
    slice_scope         varchar,          -- whom or where it is for: a force, a service, a district code
    rows_read       bigint not null,
    rows_loaded     bigint not null,
    rows_rejected   bigint not null,
    status          varchar not null,     -- loaded (live) | superseded | failed (refused whole)
    message         varchar,              -- why failed, kept out or reloaded
    superseded_by   bigint,
    started_at      timestamp not null,
    finished_at     timestamp not null
);

-- The periods a delivery's rows fall in, one row each (none for reference data): the months or years a load
-- touches, which the incremental build rebuilds (int_changed_months) and a yearly delivery covers.
create table if not exists audit.load_periods (
    load_id         bigint not null,
    period_start    date not null,        -- the first day of the month or year
    period_grain    varchar not null,     -- month | year, the grain of the feed's period column
    period_label    varchar not null,     -- as the hub writes it: YYYY-MM or YYYY
    primary key (load_id, period_start)
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
    """The audit tables, created if missing; a hub whose audit.loads still holds its periods and slices as text is
    converted first (loaders.audit_upgrade)."""
    if holds_text_periods(con):
        upgrade_text_periods(con, AUDIT_DDL)
    else:
        con.execute(AUDIT_DDL)
