"""`python -m bench.spark --incidents 1000000`: the core lineage built by dbt on DuckDB and on a local Spark session
from the same generated data, side by side in one run, then compared row for row; written to bench/RESULTS-spark.md
(docs/scaling.md quotes it).

One hub for the size, made untimed: `hub ingest` of every month (the held-back one too) and `hub build`, which loads
the reference data. Then, `repeat` times each, alternately:
- DuckDB: `dbt build` of the core lineage alone (warehouse.spark.core_build_args: its seeds, models and data tests,
  in full) on the hub's database;
- Spark: `python -m warehouse.spark` from the Spark environment into a fresh folder: the JVM's start, the raw and
  audit tables written to Spark, and the same `dbt build` there.
Last, tools.engine_diff compares the two builds table by table.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Settings, display, hub_environment, module_call
from bench.machine import commit, load_average, machine, versions
from bench.measure import Run, run_child
from bench.run import WORK, absolute_path
from bench.scale import prepare
from loaders.database import MEMORY_LIMIT
from loaders.pseudonyms import create_key_file
from tools.engine_diff import CORE_TABLES, differences
from warehouse.paths import PROJECT_DIR, HubPaths
from warehouse.spark import core_build_args

RESULTS = PROJECT_DIR / "bench" / "RESULTS-spark.md"
HUB = Path(sys.executable).with_name("hub")
SPARK_PYTHON = PROJECT_DIR / ".venv-spark" / "bin" / "python"


def duckdb_core_build(home: Path) -> None:
    """The core lineage's dbt build on the hub at `home`, as warehouse.spark runs it on Spark."""
    from warehouse.transform import run_dbt

    run_dbt(HubPaths(home), *core_build_args())


@dataclass(frozen=True)
class SizeRuns:
    incidents: int
    duckdb: list[Run]
    spark: list[Run]
    differences: list

    @property
    def duckdb_seconds(self) -> float:
        return statistics.median(run.seconds for run in self.duckdb)

    @property
    def spark_seconds(self) -> float:
        return statistics.median(run.seconds for run in self.spark)

    @property
    def spark_phases(self) -> dict[str, float]:
        return {phase: statistics.median(spark_phases(run)[phase] for run in self.spark)
                for phase in spark_phases(self.spark[0])}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    key_file = args.work / "bench-pseudonym.key"
    if not key_file.exists():
        create_key_file(key_file)
    load_at_start = load_average()
    sizes = [measure_size(incidents, key_file, args) for incidents in sorted(set(args.incidents))]
    write_results(args.results, sizes, args, command=shlex.join(["python", "-m", "bench.spark", *argv]),
                  load=(load_at_start, load_average()))
    print(f"Wrote {args.results}")
    return 1 if any(size.differences for size in sizes) else 0


def measure_size(incidents: int, key_file: Path, args: argparse.Namespace) -> SizeRuns:
    work = args.work / "spark" / str(incidents)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = prepare(args.work / "data" / str(incidents), incidents)
    print(f"{data.incidents:,} incidents in {data.files:,} files", flush=True)
    paths = HubPaths(work / "hub")
    env = hub_environment(paths.home, key_file, data.as_at, Settings(MEMORY_LIMIT, args.threads, args.repeat))
    log = work / "commands.log"
    for command in ([HUB, "ingest", data.incoming], [HUB, "ingest", data.held_back], [HUB, "build"]):
        _run(command, env, log)
    duckdb_runs, spark_runs = [], []
    spark_dir = work / "spark"
    for _ in range(args.repeat):
        duckdb_runs.append(_run(module_call("bench.spark:duckdb_core_build", paths.home), env, log))
        shutil.rmtree(spark_dir, ignore_errors=True)
        spark_runs.append(_run([SPARK_PYTHON, "-m", "warehouse.spark", "--spark-dir", spark_dir], env, log))
    return SizeRuns(data.incidents, duckdb_runs, spark_runs, differences(paths.working_db, spark_dir))


def _run(argv: list, env: dict[str, str], log: Path) -> Run:
    print(f"  {display(argv)}", end=" ", flush=True)
    run = run_child(argv, env, log)
    print(f"{run.seconds:.1f} s, peak {run.peak_rss / 1e9:.2f} GB", flush=True)
    return run


def spark_phases(run: Run) -> dict[str, float]:
    """The seconds of each phase, from warehouse.spark's last line ("seconds: session 7.4, write 3.0, dbt 95.1")."""
    return {phase: float(seconds) for phase, seconds in re.findall(r"(\w+) ([\d.]+)", run.last_line.split(":", 1)[1])}


def spark_versions() -> str:
    """pyspark's and dbt-spark's versions in the Spark environment, and Java's."""
    packages = subprocess.run([SPARK_PYTHON, "-c", "from importlib.metadata import version; "
                               "print(f\"pyspark {version('pyspark')}, dbt-spark {version('dbt-spark')}\")"],
                              capture_output=True, text=True, check=True).stdout.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=True).stderr.splitlines()[0]
    return f"{packages}, {java}"


def write_results(path: Path, sizes: list[SizeRuns], args: argparse.Namespace, *, command: str,
                  load: tuple[str, str]) -> None:
    lines = [
        "# The core lineage on DuckDB and on Spark, side by side",
        "",
        f"Written by `{command}` at commit {commit()}; load average {load[0]} at the start, {load[1]} at the end.",
        f"Machine: {', '.join(f'{k} {v}' for k, v in machine().items())}.",
        f"Versions: {', '.join(f'{k} {v}' for k, v in versions().items())}; {spark_versions()}.",
        "",
        f"Generated incidents (every partner feed), {args.threads} threads on each engine, Spark's driver memory "
        "HUB_SPARK_MEMORY (3g unless set). The same `dbt build` of the core lineage on each engine "
        f"(`dbt {' '.join(core_build_args())}`); the median of {args.repeat} runs, each a process timed from start "
        "to exit. DuckDB's peak memory is what wait4 reports for its process and the dbt process it waited for; "
        "Spark's JVM is not waited for by pyspark, so wait4 cannot see it: its heap is capped at the driver memory.",
        "",
        "| incidents | DuckDB (dbt-duckdb) | Spark, whole process | Spark: JVM start | Spark: raw + audit written "
        "| Spark: dbt build | Spark / DuckDB | dbt build alone, Spark / DuckDB | DuckDB's peak memory "
        "| tables equal |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        phases = size.spark_phases
        lines.append(
            f"| {size.incidents:,} | {size.duckdb_seconds:.1f} s | {size.spark_seconds:.1f} s "
            f"| {phases['session']:.1f} s | {phases['write']:.1f} s | {phases['dbt']:.1f} s "
            f"| {size.spark_seconds / size.duckdb_seconds:.1f}x | {phases['dbt'] / size.duckdb_seconds:.1f}x "
            f"| {max(r.peak_rss for r in size.duckdb) / 1e9:.2f} GB "
            f"| {len(CORE_TABLES) - len(size.differences)} of {len(CORE_TABLES)} |")
    lines += ["", "Tables equal: tools.engine_diff, row for row, doubles within a relative 1e-9."]
    lines += [f"- {size.incidents:,}: DIFFERS {difference}" for size in sizes for difference in size.differences]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, nargs="+", default=[1_000_000, 4_000_000],
                        help="sizes, in incidents across every partner (default 1000000 4000000)")
    parser.add_argument("--repeat", type=int, default=1, help="builds on each engine; the median is reported")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB's and Spark's threads")
    parser.add_argument("--work", type=absolute_path, default=WORK, help="where the data and the hubs go")
    parser.add_argument("--results", type=absolute_path, default=RESULTS, help="the report to write")
    return parser


if __name__ == "__main__":
    sys.exit(main())
