"""Great Expectations validation of the suites, run in a child process by warehouse.quality.check."""

from __future__ import annotations

from pathlib import Path

from warehouse import gx_deferred_imports  # noqa: F401  (before GX: scipy.stats and altair imported when used)
from warehouse.gx_duckdb import enable_persistent_duckdb_connection

import great_expectations as gx  # noqa: E402  (GX_ANALYTICS_ENABLED is set by warehouse.gx_duckdb)
from great_expectations.core import ExpectationSuite  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from loaders.database import connect, resource_config  # noqa: E402
from warehouse.expectation_result import ExpectationResult  # noqa: E402
from warehouse import gx_grouped_uniqueness  # noqa: E402,F401  (uniqueness counted with one GROUP BY)
from warehouse import gx_map_samples  # noqa: E402,F401  (a map expectation's sample is queried only if it has any)
from warehouse import gx_unexpected_rows  # noqa: E402,F401  (an unexpected-rows expectation queries once)
from warehouse.paths import HubPaths  # noqa: E402
from warehouse.report_assets import escape_partner_values  # noqa: E402

SITE_NAME = "hub"

enable_persistent_duckdb_connection()


def validate_suites(paths: HubPaths, suites: list[dict], run_id: str, site: Path) -> list[ExpectationResult]:
    """Data Docs show the latest run only, so they stay bounded; the history is in audit.dq_results. The run's
    Data Docs go to a new folder, `site`, which the caller swaps in for the last run's. The site is
    built once, after every suite has run: GX's UpdateDataDocsAction rebuilds the index with each validation, which
    made rendering, not the data, most of a check's time."""
    existing = _existing_tables(paths)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(site_name=SITE_NAME, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    datasource = context.data_sources.add_sql(
        "working", connection_string=f"duckdb+schema_at_once:///{paths.working_db}",
        kwargs={"connect_args": {"read_only": True, "config": resource_config()}},
    )
    results: list[ExpectationResult] = []
    for spec in suites:
        table = spec["meta"]["table"]
        if table in existing:
            results += _validate(context, datasource, spec, table, run_id)
        else:
            results.append(_missing_table(spec, table))
    escape_partner_values(context.validation_results_store)
    context.build_data_docs(site_names=[SITE_NAME])
    return results


def _validate(context, datasource, spec: dict, table: str, run_id: str) -> list[ExpectationResult]:
    schema, name = table.split(".")
    suite = context.suites.add(ExpectationSuite(**{k: v for k, v in spec.items() if k != "meta"}, meta=spec["meta"]))
    batch = datasource.add_table_asset(name=table, table_name=name, schema_name=schema).add_batch_definition_whole_table("all")
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=f"{run_id}:{spec['name']}", data=batch, suite=suite))
    validation_result = validation.run(run_id=RunIdentifier(run_name=run_id))
    return [_result(spec, table, r) for r in validation_result.results]


def _result(spec: dict, table: str, r) -> ExpectationResult:
    config = r.expectation_config
    details = r.result or {}
    observed = details.get("observed_value")
    unexpected = details.get("unexpected_count")
    if unexpected is None and config.type == "unexpected_rows_expectation":
        unexpected = observed
    return ExpectationResult(
        suite=spec["name"], table=table, expectation_type=config.type,
        column=config.kwargs.get("column") or (config.meta or {}).get("column"),
        severity=str(getattr(config.severity, "value", config.severity)),
        meaning=(config.meta or {}).get("meaning"), success=bool(r.success),
        element_count=details.get("element_count"), unexpected_count=unexpected,
        unexpected_percent=details.get("unexpected_percent"),
        observed_value=None if observed is None else str(observed), partner=spec["meta"].get("partner"),
    )


def _missing_table(spec: dict, table: str) -> ExpectationResult:
    return ExpectationResult(
        suite=spec["name"], table=table, expectation_type="table_exists", column=None, severity="critical",
        meaning=f"The table {table} exists (run `hub build` first).", success=False, element_count=None,
        unexpected_count=None, unexpected_percent=None, observed_value="missing", partner=spec["meta"].get("partner"),
    )


def _existing_tables(paths: HubPaths) -> set[str]:
    if not paths.working_db.exists():
        return set()
    con = connect(paths.working_db, read_only=True)
    try:
        return {f"{s}.{t}" for s, t in con.execute("select table_schema, table_name from information_schema.tables").fetchall()}
    finally:
        con.close()


