"""`python -m bench.run --incidents 1000000 10000000 --repeat 3`: generate (or reuse) the data for each size, run
every measurement side by side, and write bench/RESULTS.md. Exits 1 when a step could not be measured."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import date
from pathlib import Path

from bench.harness import Settings, measure
from bench.machine import commit, load_average, machine, versions
from bench.report import write_results
from bench.scale import FIRST_MONTH, MONTHS, prepare
from loaders.database import MEMORY_LIMIT
from loaders.pseudonyms import create_key_file
from warehouse.paths import PROJECT_DIR

RESULTS = PROJECT_DIR / "bench" / "RESULTS.md"
WORK = PROJECT_DIR / "var" / "bench"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    settings = Settings(args.memory_limit, args.threads, args.repeat)
    key_file = args.work / "bench-pseudonym.key"
    if not key_file.exists():
        create_key_file(key_file)  # the benchmark's own key, as the demo makes its own: its data is never real
    load_at_start = load_average()
    results = []
    for incidents in sorted(set(args.incidents)):
        print(f"{incidents:,} incidents: the data in {args.work / 'data' / str(incidents)} ...", flush=True)
        data = prepare(args.work / "data" / str(incidents), incidents, first_month=args.first_month,
                       months=args.months)
        print(f"  {data.incidents:,} incidents in {data.files:,} files (scale {data.scale:.4f})", flush=True)
        results.append(measure(data, args.work / "runs" / str(incidents), key_file, settings))
    write_results(args.results, results, settings, command=shlex.join(["python", "-m", "bench.run", *argv]),
                  machine=machine(), versions=versions(), commit=commit(), load=(load_at_start, load_average()))
    print(f"Wrote {args.results}")
    failed = [r for r in results if r.error or any(step.error for step in r.steps.values())]
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, nargs="+", default=[1_000_000],
                        help="sizes to measure, in incidents across every partner (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the median is reported (default 3)")
    parser.add_argument("--work", type=absolute_path, default=WORK,
                        help=f"where the data and the hubs go (default {WORK.relative_to(PROJECT_DIR)}); "
                             "generated data is reused by later runs")
    parser.add_argument("--results", type=absolute_path, default=RESULTS,
                        help="the report to write (default bench/RESULTS.md)")
    parser.add_argument("--memory-limit", default=MEMORY_LIMIT,
                        help=f"DuckDB's memory_limit for every step (default {MEMORY_LIMIT}, the hub's own: a step's "
                             "budget is 4 GB)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="DuckDB's threads (default: the cores)")
    parser.add_argument("--months", type=int, default=MONTHS, help=f"months of data (default {MONTHS})")
    parser.add_argument("--first-month", type=lambda s: date.fromisoformat(s + "-01"), default=FIRST_MONTH,
                        help=f"YYYY-MM (default {FIRST_MONTH:%Y-%m})")
    return parser


def absolute_path(text: str) -> Path:
    """Paths are resolved here: every step runs from the repository, wherever the benchmark was started."""
    return Path(text).resolve()


if __name__ == "__main__":
    sys.exit(main())
