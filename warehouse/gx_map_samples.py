"""GX's map expectations (values not null, in a set, between, matching, unique, ...) made to fetch their sample of
unexpected values only where there are some.

With the check's results (SUMMARY, GX's default) GX 1.24 asks two things of every map expectation besides the
table's counts: how many values are unexpected, bundled with the table's other counts in one query, and a sample of
up to 20 of them, a query of its own. A passing expectation has no unexpected value, yet its sample query still
reads the whole column to find none: at 10M incidents the samples were a fifth of a check's SQL, nearly all of it
for expectations that passed.

Here a sample is computed after its count, and not queried when the count is zero: the sample would be empty. A
failing expectation's sample is fetched as before, so the results, audit.dq_results and the Data Docs read as they
did. GX has no setting for this, so importing this module wraps the two GX functions involved: a map metric's
dependencies (the sample now depends on its count) and the SQL function of each sample metric.
"""

from __future__ import annotations

import functools

from great_expectations.execution_engine import SqlAlchemyExecutionEngine
from great_expectations.expectations import registry
from great_expectations.expectations.metrics.map_metric_provider.map_metric_provider import MapMetricProvider
from great_expectations.validator.metric_configuration import MetricConfiguration

from warehouse.gx_unexpected_rows import replacing_quietly

SAMPLE, COUNT = ".unexpected_values", ".unexpected_count"
COUNT_DEPENDENCY = "unexpected_count"
ENGINE = SqlAlchemyExecutionEngine.__name__

_gx_dependencies = MapMetricProvider._get_evaluation_dependencies.__func__


def _dependencies_with_count(cls, metric, configuration=None, execution_engine=None, runtime_configuration=None):
    dependencies = _gx_dependencies(cls, metric, configuration, execution_engine, runtime_configuration)
    if metric.metric_name.endswith(SAMPLE) and isinstance(execution_engine, SqlAlchemyExecutionEngine):
        # the count's own configuration, as the expectation asks for it, so GX resolves one count, not two
        dependencies[COUNT_DEPENDENCY] = MetricConfiguration(
            metric_name=metric.metric_name.removesuffix(SAMPLE) + COUNT,
            metric_domain_kwargs=metric.metric_domain_kwargs,
            metric_value_kwargs={k: v for k, v in metric.metric_value_kwargs.items() if k != "result_format"},
        )
    return dependencies


def _sampled_only_if_any(sample):
    @functools.wraps(sample)
    def sample_if_any(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, **kwargs):
        if metrics.get(COUNT_DEPENDENCY) == 0:
            return []
        return sample(cls, execution_engine=execution_engine, metric_domain_kwargs=metric_domain_kwargs,
                      metric_value_kwargs=metric_value_kwargs, metrics=metrics, **kwargs)
    return sample_if_any


def _wrap_sample_metrics() -> list[str]:
    wrapped = []
    for name, definition in list(registry._registered_metrics.items()):
        if name.endswith(SAMPLE) and ENGINE in definition["providers"]:
            metric_class, sample = definition["providers"][ENGINE]
            registry.register_metric(
                metric_name=name, metric_domain_keys=definition["metric_domain_keys"],
                metric_value_keys=definition["metric_value_keys"], execution_engine=SqlAlchemyExecutionEngine,
                metric_class=metric_class, metric_provider=_sampled_only_if_any(sample),
                metric_fn_type=sample.metric_fn_type,
            )
            wrapped.append(name)
    return wrapped


MapMetricProvider._get_evaluation_dependencies = classmethod(_dependencies_with_count)
with replacing_quietly():
    WRAPPED = _wrap_sample_metrics()


if "column_values.in_set.unexpected_values" not in WRAPPED:
    raise RuntimeError("GX no longer registers its map expectations' samples as warehouse/gx_map_samples.py expects: "
                       "the change needs redoing for this GX version (pinned: 1.24.1).")
