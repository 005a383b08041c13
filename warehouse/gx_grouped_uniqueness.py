"""GX's uniqueness expectations counted with one GROUP BY rather than a count per row.

GX 1.24 counts the unexpected rows of `expect_column_values_to_be_unique` with a window, `count(*) over (partition
by column)`, evaluated on every row, and of `expect_compound_columns_to_be_unique` by joining every row back to its
group's count. The count wanted is the same either way: the rows of the groups that occur more than once. At 10M
incidents the window over fct_incidents.incident_key alone took 1.9 s, the four windows 2.2 s and the 30 compound
joins 1.8 s of a check's SQL, where one GROUP BY ... HAVING over the same rows takes a fraction of that.

Here the two unexpected-count metrics, on SQL engines, group the domain's rows (GX's own domain: its row condition
and, for compound columns, its ignore_row_if) on the column or columns and sum the counts of the groups of two or
more rows. Rows with a null in a grouped column count as GX counts them, not at all: GX's column condition requires
the value not null, and its compound join matches no null. The sample of unexpected values (and, with
warehouse.gx_map_samples, whether it is queried) is GX's own, so the results, audit.dq_results and the Data Docs
read as before. Importing this module registers the two metrics.
"""

from __future__ import annotations

from great_expectations.compatibility.sqlalchemy import sqlalchemy as sa
from great_expectations.execution_engine import SqlAlchemyExecutionEngine
from great_expectations.expectations import registry
from great_expectations.util import get_sqlalchemy_selectable

from warehouse.gx_unexpected_rows import replacing_quietly

# each metric, and the accessor domain key naming its columns (one column, or a list of them)
GROUPED_COUNTS = {"column_values.unique.unexpected_count": "column",
                  "compound_columns.unique.unexpected_count": "column_list"}
DUPLICATE = 2


def _grouped_unexpected_count(columns_key: str):
    def grouped_unexpected_count(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, **kwargs):
        _, compute_domain_kwargs, accessor_domain_kwargs = metrics["unexpected_condition"]
        names = accessor_domain_kwargs[columns_key]
        columns = [sa.column(name) for name in ([names] if isinstance(names, str) else names)]
        # GX's own domain records, so its row condition and ignore_row_if filter the rows as they would
        domain = get_sqlalchemy_selectable(execution_engine.get_domain_records(
            domain_kwargs={**compute_domain_kwargs, **accessor_domain_kwargs}))
        repeated = (sa.select(sa.func.count().label("rows_in_group")).select_from(domain)
                    .where(sa.and_(*(column.is_not(None) for column in columns)))
                    .group_by(*columns).having(sa.func.count() >= DUPLICATE).subquery("repeated_groups"))
        unexpected = execution_engine.execute_query(sa.select(sa.func.sum(repeated.c.rows_in_group))).scalar()
        return 0 if unexpected is None else int(unexpected)
    return grouped_unexpected_count


def _register_grouped_counts() -> dict[str, tuple]:
    """Registers the grouped counts; returns GX's own provider of each (its metric class and function)."""
    engine = SqlAlchemyExecutionEngine.__name__
    replaced = {}
    for name, columns_key in GROUPED_COUNTS.items():
        definition = registry._registered_metrics.get(name, {})
        if engine not in definition.get("providers", {}):
            continue
        metric_class, gx_count = definition["providers"][engine]
        registry.register_metric(
            metric_name=name, metric_domain_keys=definition["metric_domain_keys"],
            metric_value_keys=definition["metric_value_keys"], execution_engine=SqlAlchemyExecutionEngine,
            metric_class=metric_class, metric_provider=_grouped_unexpected_count(columns_key), metric_fn_type=gx_count.metric_fn_type,
        )
        replaced[name] = (metric_class, gx_count)
    return replaced


with replacing_quietly():
    GX_COUNTS = _register_grouped_counts()


if sorted(GX_COUNTS) != sorted(GROUPED_COUNTS):
    raise RuntimeError("GX no longer registers its uniqueness counts as warehouse/gx_grouped_uniqueness.py expects: "
                       "the change needs redoing for this GX version (pinned: 1.24.1).")
