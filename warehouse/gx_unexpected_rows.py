"""GX's `unexpected_rows_expectation`, made to run its query once where its result shows only the count.

GX 1.24 asks for two metrics of every UnexpectedRowsExpectation: the query's rows (up to 200 of them) and their
count, each its own run of the query. Its result then holds the rows only in the COMPLETE format; in BASIC and
SUMMARY (the check's, GX's default) the rows are fetched and dropped. The hub's suites hold 122 of these, some over
whole fact tables, so the unused fetch was a quarter of the SQL time of a check at 10M incidents.

The class below is GX's own, asking for the rows only when the result format will show them, and takes GX's place
under the same expectation type: the suites, the results (audit.dq_results) and the Data Docs read as before.
Importing this module registers it.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from great_expectations.core.result_format import ResultFormat
from great_expectations.expectations import registry
from great_expectations.expectations.core import unexpected_rows_expectation as gx_core

ROWS_METRIC = "unexpected_rows_query.table"


@contextmanager
def replacing_quietly():
    """GX warns when a type's class, renderer or metric function is declared again; here that is the point, not a
    mistake."""
    registry_logger = logging.getLogger(registry.__name__)
    level = registry_logger.level
    registry_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        registry_logger.setLevel(level)


with replacing_quietly():
    class UnexpectedRowsExpectation(gx_core.UnexpectedRowsExpectation):
        """GX's UnexpectedRowsExpectation (the class name is the expectation type), fetching the unexpected rows only
        for a COMPLETE result, the one format that shows them."""

        def get_validation_dependencies(self, execution_engine=None, runtime_configuration=None):
            dependencies = super().get_validation_dependencies(execution_engine=execution_engine,
                                                               runtime_configuration=runtime_configuration)
            if dependencies.result_format["result_format"] != ResultFormat.COMPLETE:
                dependencies.remove_metric_configuration(ROWS_METRIC)
            return dependencies

        def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
            # GX's reads the rows' metric before it looks at the format; outside COMPLETE it then leaves them out
            return super()._validate({ROWS_METRIC: None, **metrics}, runtime_configuration, execution_engine)


if registry.get_expectation_impl(gx_core.UnexpectedRowsExpectation.expectation_type) is not UnexpectedRowsExpectation:
    raise RuntimeError("GX no longer registers an expectation under its class's name: the unexpected-rows change in "
                       "warehouse/gx_unexpected_rows.py needs redoing for this GX version (pinned: 1.24.1).")
