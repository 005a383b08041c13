"""`python -m warehouse.spark [--spark-dir DIR] [--without-data-tests]`: the hub's core lineage built on Spark
(README: On Spark).

From the Spark environment (`make spark-install`: pyspark and dbt-spark, kept out of the hub's own environment, where
Great Expectations would pick pyspark up). A local Spark session is started in this process, the raw and audit tables
of the hub at HUB_HOME are written to it (loaders/spark.py), and dbt builds the seeds and the core lineage there
(staging -> placed incidents -> ward and district facts -> KPI results -> VLI), with their data tests unless told
not to, through dbt-spark's session connection, which finds this session. The tables' parquet files are kept in the
Spark folder ($HUB_HOME/spark unless given); the catalogue naming them is the session's own (in memory: a Hive
metastore on disk took ~10 s to open and ~0.5 s for each table it registered), so it lasts as long as the process.
Each run builds in full: the hub's incremental months rest on deleting rows, which Spark's parquet tables cannot do.
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


def tables_dir(spark_dir: Path) -> Path:
    """Spark's warehouse folder: the tables dbt builds, and the raw and audit tables' files."""
    return spark_dir / "warehouse"


def session_settings(spark_dir: Path) -> dict[str, str]:
    """A local session on the hub's threads and memory, its catalogue and tables in `spark_dir`. Shuffles in as many
    partitions as threads: Spark's default of 200 would be 200 tasks for each small join. The JVM collects garbage
    on the thread that allocates and compiles with its quick compiler alone: its default collector's and optimising
    compiler's own threads took about a quarter of the CPU of the demo's core build on two cores (bench/README.md).
    The quick compiler alone gets a 48 MB code cache, which the demo's core build filled: the JVM then ran on
    interpreted, or stopped a task with "Out of space in CodeCache"; 256 MB leaves it room."""
    return {
        "spark.master": f"local[{THREADS}]",
        "spark.driver.memory": os.environ.get("HUB_SPARK_MEMORY", "3g"),
        "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m",
        "spark.sql.shuffle.partitions": THREADS,
        "spark.sql.warehouse.dir": str(tables_dir(spark_dir)),
        "spark.sql.catalogImplementation": "in-memory",
        "spark.ui.enabled": "false",
    }


def build_on_spark(paths: HubPaths, spark_dir: Path, *, data_tests: bool = True, say=print) -> None:
    """Write the hub's raw and audit tables to Spark and build the core lineage there; raises when dbt fails."""
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    spark_dir.mkdir(parents=True, exist_ok=True)
    timings = {}
    started = time.perf_counter()
    builder = SparkSession.builder
    for setting, value in session_settings(spark_dir).items():
        builder = builder.config(setting, value)
    spark = builder.getOrCreate()
    timings["session"] = time.perf_counter() - started
    say(f"Spark session started in {timings['session']:.1f} s")

    started = time.perf_counter()
    written = write_to_spark(paths.working_db, spark, tables_dir(spark_dir))
    timings["write"] = time.perf_counter() - started
    say(f"{len(written)} raw and audit tables ({sum(written.values()):,} rows) written to Spark in "
        f"{timings['write']:.1f} s")

    started = time.perf_counter()
    os.environ.update({"DBT_TARGET_PATH": str(spark_dir / "dbt" / "target"),
                       "DBT_LOG_PATH": str(spark_dir / "dbt" / "logs")})
    result = dbtRunner().invoke([*core_build_args(data_tests), "--target", "spark", *dbt_project_args(paths)])
    if not result.success:
        raise RuntimeError(f"dbt build on Spark failed (full log in {spark_dir / 'dbt' / 'logs'})")
    timings["dbt"] = time.perf_counter() - started
    say(f"dbt built the core lineage on Spark in {timings['dbt']:.1f} s")
    spark.stop()
    say(timing_line(timings))


def timing_line(timings: dict[str, float]) -> str:
    """The build's last line, each phase's seconds (bench/spark.py reads it): "seconds: session 7.4, write 3.0, ..."."""
    return "seconds: " + ", ".join(f"{phase} {seconds:.1f}" for phase, seconds in timings.items())


def core_build_args(data_tests: bool = True) -> list[str]:
    """`dbt build` of the core lineage in full: its seeds, models and (unless not wanted) data tests; the unit tests
    are the project's own, run on DuckDB. Cautious: a test of a core model that also reads a model outside the lineage
    is left out."""
    leave_out = ["unit_test", *([] if data_tests else ["test"])]
    return ["build", "--full-refresh", "--exclude-resource-type", *leave_out, "--indirect-selection", "cautious",
            "--select", " ".join(f"+{mart}" for mart in CORE_MARTS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spark-dir", type=Path, help="where Spark keeps its tables (default $HUB_HOME/spark)")
    parser.add_argument("--without-data-tests", action="store_true",
                        help="build the models alone (the comparison with DuckDB's build checks them row for row)")
    args = parser.parse_args(argv)
    paths = HubPaths(hub_home())
    build_on_spark(paths, (args.spark_dir or paths.home / "spark").resolve(), data_tests=not args.without_data_tests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
