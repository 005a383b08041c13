"""GX run directly (not through a check) on marts.numbers of a small hub, for the tests of GX's own behaviour."""

from __future__ import annotations

import great_expectations as gx

from warehouse.paths import HubPaths


def validate_numbers(hub: HubPaths, expectations: list, result_format: str = "SUMMARY") -> list:
    """The results of `expectations` on marts.numbers, in a new ephemeral context, connected as a check connects."""
    context = gx.get_context(mode="ephemeral")
    batch = (context.data_sources.add_sql("working", connection_string=f"duckdb+schema_at_once:///{hub.working_db}")
             .add_table_asset(name="numbers", table_name="numbers", schema_name="marts")
             .add_batch_definition_whole_table("all"))
    suite = context.suites.add(gx.ExpectationSuite(name="numbers", expectations=expectations))
    validation = context.validation_definitions.add(gx.ValidationDefinition(name="numbers", data=batch, suite=suite))
    return validation.run(result_format=result_format).results
