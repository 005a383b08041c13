"""The quality suites as plain SQL: each expectation becomes one DuckDB query with the verdict GX would give.

Benchmark issue #6 times `hub check` (Great Expectations) against these queries, so both must judge the same data
the same way. Each template returns one row, (success, unexpected_count), following GX 1.24's SQL semantics:
column-map expectations ignore nulls (except not-null itself) and pass when at least `mostly` of the rows they
consider pass, or when they consider none; uniqueness counts every copy of a repeated value; the count is None
where GX reports none. An expectation type or kwarg without a translation raises rather than being skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

from loaders.database import connect
from warehouse.paths import PROJECT_DIR, HubPaths
from warehouse.quality import check, load_suites

HUB_CATALOG = HubPaths(PROJECT_DIR).working_db.stem


@dataclass(frozen=True)
class SqlCheckResult:
    suite: str
    expectation_type: str
    column: str | None
    severity: str
    meaning: str | None         # with the suite, names one expectation (a suite may check a column twice)
    success: bool
    unexpected_count: int | None


class UntranslatedExpectation(ValueError):
    """An expectation this module cannot judge as GX would: an unknown type or kwarg, or kwargs GX itself refuses."""


@dataclass(frozen=True)
class Template:
    sql: str                                        # one row: success, unexpected_count
    defaults: dict = field(default_factory=dict)    # GX's defaults for the optional kwargs
    check: Callable[[dict], None] | None = None     # kwargs GX refuses at run time are refused here too


def _map(considered: str, unexpected: str, source: str = "{table}") -> str:
    """GX's map verdict: (considered - unexpected) / considered >= mostly (DuckDB's `/` is floating point, as
    Python's is); with nothing considered, it passes."""
    return ("select considered = 0 or (considered - unexpected) / considered >= {mostly} as success, unexpected "
            f"from (select {considered} as considered, {unexpected} as unexpected from {source})")


def _column_map(unexpected_when: str) -> str:
    """A null is neither judged nor counted, so `mostly` is a share of the non-null values."""
    return _map("count({column})", _rows_where(f"{{column}} is not null and ({unexpected_when})"))


def _rows_where(condition: str) -> str:
    """GX's unexpected count: a sum, so a table with no rows at all has no count (None), not 0."""
    return f"sum(case when {condition} then 1 else 0 end)"


def _bounds_given(kwargs: dict) -> None:
    low, high = kwargs["min_value"], kwargs["max_value"]
    if low is None and high is None:
        raise UntranslatedExpectation("min_value and max_value cannot both be None")
    if low is not None and high is not None and low > high:
        raise UntranslatedExpectation("min_value cannot be greater than max_value")


MOSTLY = {"mostly": 1}  # GX's default: every row considered must pass

TEMPLATES: dict[str, Template] = {
    "expect_column_values_to_be_between": Template(
        _column_map("not (({min_value} is null or case when {strict_min} then {column} > {min_value} "
                    "else {column} >= {min_value} end) and ({max_value} is null or case when {strict_max} "
                    "then {column} < {max_value} else {column} <= {max_value} end))"),
        {"min_value": None, "max_value": None, "strict_min": False, "strict_max": False, **MOSTLY},
        _bounds_given,
    ),
    # An empty value set is allowed: nothing is in it, as in GX.
    "expect_column_values_to_be_in_set": Template(
        _column_map("{column} not in (select unnest({value_set}))"), MOSTLY),
    "expect_column_values_to_not_be_in_set": Template(
        _column_map("{column} in (select unnest({value_set}))"), MOSTLY),
    # Here nulls are what is judged, so every row is considered.
    "expect_column_values_to_not_be_null": Template(
        _map("count(*)", _rows_where("{column} is null")), MOSTLY),
    "expect_column_values_to_be_unique": Template(
        _map("coalesce(sum(copies), 0)", "coalesce(sum(copies) filter (where copies > 1), 0)",
             "(select count(*) as copies from {table} where {column} is not null group by {column})"),
        MOSTLY,
    ),
    # GX skips rows whose key is all null, and joins the group counts back on equality, so a key with any null
    # part is never a duplicate.
    "expect_compound_columns_to_be_unique": Template(
        _map("coalesce(sum(copies) filter (where not all_missing), 0)",
             "coalesce(sum(copies) filter (where copies > 1 and not any_missing), 0)",
             "(select count(*) as copies, {all_missing} as all_missing, {any_missing} as any_missing "
             "from {table} group by {column_list})"),
        MOSTLY,
    ),
    # GX's count is of distinct values outside the set; a listed value missing from the column fails it too
    # (GX counts it as the set's length less the listed values found, so a repeated entry always fails).
    "expect_column_distinct_values_to_equal_set": Template(
        "select unexpected = 0 and len({value_set}) = found as success, unexpected from ("
        "select count(distinct {column}) filter (where {column} not in (select unnest({value_set}))) as unexpected, "
        "count(distinct {column}) filter (where {column} in (select unnest({value_set}))) as found from {table})"),
    "expect_table_row_count_to_equal": Template(
        "select count(*) = {value} as success, null as unexpected from {table}"),
    # Names match case-insensitively; a name written in double quotes must match exactly.
    "expect_table_columns_to_match_set": Template(
        "select count(*) filter (where actual.name is null) = 0 "
        "and (not {exact_match} or count(*) filter (where expected.name is null) = 0) as success, null as unexpected "
        "from (select column_name as name from information_schema.columns "
        "where table_schema = {schema} and table_name = {table_name}) as actual "
        "full join (select unnest({column_set}) as name) as expected "
        "on lower(expected.name) = lower(actual.name) or expected.name = '\"' || actual.name || '\"'",
        {"exact_match": True},
    ),
    "unexpected_rows_expectation": Template(
        "select count(*) = 0 as success, count(*) as unexpected "
        "from ({unexpected_rows_query}) as substituted_batch_subquery"),
}


def run_gx_suites(database: Path) -> None:
    """What these queries stand in for: every suite run by Great Expectations as `hub check` runs them, with Data Docs
    and audit.dq_results (warehouse.quality.check; the scorecard is a view, so it needs no rebuild after). `database` is
    a hub's working database (hub.duckdb in the hub's home)."""
    check(HubPaths(database.parent))


def run_sql_checks(database: Path, suites: list[dict] | None = None) -> list[SqlCheckResult]:
    """Every expectation of every suite (by default the ones `hub check` runs), judged on a read-only connection."""
    suites = load_suites() if suites is None else suites
    # The hub's views name their catalog (hub.raw.…), which DuckDB takes from the file's name: attached under that
    # name, a copy of the database under any other name (the benchmark's) still reads.
    con = connect(Path(":memory:"))
    try:
        con.execute(f"attach {_literal(str(database))} as {HUB_CATALOG} (read_only)")
        con.execute(f"use {HUB_CATALOG}")
        return [_judge(con, suite, expectation) for suite in suites for expectation in suite["expectations"]]
    finally:
        con.close()


def _judge(con, suite: dict, expectation: dict) -> SqlCheckResult:
    success, unexpected = con.execute(expectation_sql(expectation, suite["meta"]["table"])).fetchone()
    meta = expectation.get("meta") or {}
    return SqlCheckResult(
        suite=suite["name"], expectation_type=expectation["type"],
        column=expectation["kwargs"].get("column") or meta.get("column"),
        severity=expectation.get("severity", "critical"), meaning=meta.get("meaning"),
        success=bool(success), unexpected_count=None if unexpected is None else int(unexpected),
    )


def expectation_sql(expectation: dict, table: str) -> str:
    kind = expectation["type"]
    template = TEMPLATES.get(kind)
    if template is None:
        raise UntranslatedExpectation(f"no SQL translation for {kind} (known: {', '.join(sorted(TEMPLATES))})")
    kwargs = {**template.defaults, **expectation["kwargs"]}
    placeholders = {name for _, name, _, _ in Formatter().parse(template.sql) if name}
    unknown = kwargs.keys() - placeholders
    if unknown:
        raise UntranslatedExpectation(f"{kind}: no SQL translation for kwarg(s) {', '.join(sorted(unknown))}")
    if template.check:
        template.check(kwargs)
    values = _placeholders(kwargs, table)
    try:
        return template.sql.format(**values)
    except KeyError as missing:
        raise UntranslatedExpectation(f"{kind} needs the kwarg {missing}") from None


def _placeholders(kwargs: dict, table: str) -> dict[str, str]:
    """kwargs as SQL: column names as identifiers, the unexpected-rows query as SQL, everything else as literals."""
    schema, name = table.split(".")
    values = {key: _literal(value) for key, value in kwargs.items() if key != "unexpected_rows_query"}
    values.update(table=f"{_identifier(schema)}.{_identifier(name)}", schema=_literal(schema),
                  table_name=_literal(name))
    if "column" in kwargs:
        values["column"] = _identifier(kwargs["column"])
    if "column_list" in kwargs:
        columns = [_identifier(c) for c in kwargs["column_list"]]
        values["column_list"] = ", ".join(columns)
        values["all_missing"] = " and ".join(f"{c} is null" for c in columns)
        values["any_missing"] = " or ".join(f"{c} is null" for c in columns)
    if "unexpected_rows_query" in kwargs:
        # GX fills {batch} with str.format too, so doubled braces in a query mean the same here.
        values["unexpected_rows_query"] = kwargs["unexpected_rows_query"].format(batch=values["table"])
    return values


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value) -> str:
    """Typed as GX's bound parameters are: a Python float is a DOUBLE (not the DECIMAL a bare 0.99 would be)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"'{value!r}'::double"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    raise UntranslatedExpectation(f"no SQL literal for {value!r}")
