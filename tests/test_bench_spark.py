"""bench/spark.py's report: the phases it reads from the Spark build's last line, and the figures it writes. (The
builds themselves are tests/integration/test_spark.py's; `make bench-spark` runs the whole benchmark.)"""

from __future__ import annotations

import argparse

from bench.measure import Run
from bench.spark import SizeRuns, spark_phases, write_results
from warehouse.spark import timing_line


def spark_run(seconds: float, session: float, write: float, dbt: float) -> Run:
    return Run(seconds, 3_000_000_000, 0, timing_line({"session": session, "write": write, "dbt": dbt}))


def test_the_phases_are_read_back_from_the_line_the_spark_build_ends_with():
    assert spark_phases(spark_run(60.0, 7.44, 3.0, 49.26)) == {"session": 7.4, "write": 3.0, "dbt": 49.3}


def test_each_size_is_reported_with_medians_and_ratios_of_the_same_run(tmp_path):
    duckdb_runs = [Run(seconds, 1_500_000_000, 0, "") for seconds in (10.0, 12.0, 30.0)]
    spark_runs = [spark_run(40.0, 8.0, 2.0, 30.0), spark_run(50.0, 9.0, 3.0, 36.0), spark_run(90.0, 9.0, 4.0, 70.0)]
    results = tmp_path / "RESULTS-spark.md"
    write_results(results, [SizeRuns(1_000_000, duckdb_runs, spark_runs, [])], argparse.Namespace(threads=2, repeat=3),
                  command="python -m bench.spark", load=("0.1", "0.2"))
    row = next(line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| 1,000,000"))
    assert row == ("| 1,000,000 | 12.0 s | 50.0 s | 9.0 s | 3.0 s | 36.0 s | 4.2x | 3.0x | 1.50 GB | 9 of 9 |")
