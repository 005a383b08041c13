"""`python -m warehouse.spark [--spark-dir DIR]`: the hub's core lineage built on Spark (README: On Spark).

From the Spark environment (`make spark-install`: pyspark and dbt-spark, kept out of the hub's own environment, where
Great Expectations would pick pyspark up). A local Spark session is started in this process, the raw and audit tables
of the hub at HUB_HOME are written to it (loaders/spark.py), and dbt builds the seeds and the core lineage there
(staging -> placed incidents -> ward and district facts -> KPI results -> VLI) with dbt-spark's session connection,
which finds this session. Spark keeps its catalogue (a Derby metastore) and its tables' parquet files in the Spark
folder, $HUB_HOME/spark unless given. Each run builds in full: the hub's incremental months rest on deleting rows,
which Spark's parquet tables cannot do.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from loaders.spark import write_to_spark
from warehouse.paths import HubPaths, hub_home
from warehouse.transform import dbt_project_args

# The core lineage: every model these marts are built from, and the seeds they read.
CORE_MARTS = ("fct_ward_month", "fct_district_month", "kpi_results", "vli_ward")
THREADS = os.environ.get("HUB_THREADS", "2")


def session_settings(spark_dir: Path) -> dict[str, str]:
    """A local session on the hub's threads and memory, its catalogue and tables in `spark_dir`. Shuffles in as many
    partitions as threads: Spark's default of 200 would be 200 tasks for each small join."""
    return {
        "spark.master": f"local[{THREADS}]",
        "spark.driver.memory": os.environ.get("HUB_SPARK_MEMORY", "3g"),
        "spark.sql.shuffle.partitions": THREADS,
        "spark.sql.warehouse.dir": str(spark_dir / "warehouse"),
        "javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={spark_dir / 'metastore_db'};create=true",
        "spark.ui.enabled": "false",
    }


def build_on_spark(paths: HubPaths, spark_dir: Path, say=print) -> None:
    """Write the hub's raw and audit tables to Spark and build the core lineage there; raises when dbt fails."""
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    spark_dir.mkdir(parents=True, exist_ok=True)
    os.chdir(spark_dir)  # where Derby writes its log
    started = time.perf_counter()
    builder = SparkSession.builder.enableHiveSupport()
    for setting, value in session_settings(spark_dir).items():
        builder = builder.config(setting, value)
    spark = builder.getOrCreate()
    say(f"Spark session started in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    written = write_to_spark(paths.working_db, spark)
    say(f"{len(written)} raw and audit tables ({sum(written.values()):,} rows) written to Spark in "
        f"{time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    os.environ.update({"DBT_TARGET_PATH": str(spark_dir / "dbt" / "target"),
                       "DBT_LOG_PATH": str(spark_dir / "dbt" / "logs")})
    result = dbtRunner().invoke([
        "build", "--target", "spark", "--full-refresh", "--exclude-resource-type", "unit_test",
        "--indirect-selection", "cautious",
        "--select", " ".join(f"+{mart}" for mart in CORE_MARTS), *dbt_project_args(paths)])
    if not result.success:
        raise RuntimeError(f"dbt build on Spark failed (full log in {spark_dir / 'dbt' / 'logs'})")
    say(f"dbt built the core lineage on Spark in {time.perf_counter() - started:.1f} s")
    spark.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spark-dir", type=Path, help="Spark's catalogue and tables (default $HUB_HOME/spark)")
    args = parser.parse_args(argv)
    paths = HubPaths(hub_home())
    build_on_spark(paths, (args.spark_dir or paths.home / "spark").resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
