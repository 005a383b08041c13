"""`make bench-national` (`python -m bench.national --rows 10000000 35000000 70000000`): the hub end to end at
national scale, written to bench/RESULTS-national.md.

For each size: police.uk street files for every force of England and Wales (bench/national_scale.py, reused while
the same), then a fresh hub with its area set to England and Wales (`hub area "England and Wales"`, untimed), and
`hub ingest`, `hub build`, `hub check` and `hub publish` each run once as a child process, timed with its peak memory
(bench/measure.py); the analyst guide's queries on the published file; and bare DuckDB's read of the same files into
a database of its own (bench.baselines.bare_ingest), the floor under the ingest. End to end is the four hub steps'
seconds added up. The results file is written again after each size, so a long run leaves its figures as it goes.
At national scale the data and the hubs take tens of GB: a smaller size's files are hard links to the largest's
first months, and a smaller size's hub is removed once measured (its commands.log stays).
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.harness import (HUB, Query, Settings, display, guide_queries, hub_environment, module_call, scalar,
                           timed_queries)
from bench.machine import commit, load_average, machine, versions
from bench.measure import Run, StepFailed, run_child
from bench.national_scale import NATIONAL_MONTHLY_ROWS, NationalData, prepare
from bench.scale import judged_as_at
from bench.report import MEMORY_LIMIT_BYTES, QUERY_LIMIT_MS, bytes_text, environment_lines, limit_verdict, ms_text
from loaders.database import MEMORY_LIMIT
from loaders.pseudonyms import create_key_file
from warehouse.paths import PROJECT_DIR, HubPaths

RESULTS = PROJECT_DIR / "bench" / "RESULTS-national.md"
WORK = PROJECT_DIR / "var" / "bench" / "national"
AREA = "England and Wales"
TARGET_ROWS = 70_000_000
TARGET_SECONDS = 900.0
HUB_STEPS = ("ingest", "build", "check", "publish")
# What a national analyst asks of the marts, beside the analyst guide's queries (written for Greater Manchester).
NATIONAL_QUERIES = (
    ("Crime and ASB per 1,000 residents in every district of England and Wales, the latest 12 months, ranked", """
with latest as (
    select max(month_start) as last_month from marts.fct_district_month where partner = 'police' and is_covered
)
select district.district_name, sum(fact.incident_count) as incidents,
    round(1000.0 * sum(fact.incident_count) / avg(fact.population), 1) as per_1000_residents
from marts.fct_district_month as fact
inner join marts.dim_district as district on district.district_code = fact.district_code
cross join latest
where fact.partner = 'police' and fact.is_covered
    and fact.month_start > latest.last_month - interval 12 month
group by district.district_name
order by per_1000_residents desc
"""),
    ("The 20 wards of England and Wales with the most acquisitive crime in the latest 12 months", """
with latest as (select max(month_start) as last_month from marts.fct_ward_month where partner = 'police')
select ward.ward_name, ward.district_name, sum(fact.incident_count) as acquisitive
from marts.fct_ward_month as fact
inner join marts.dim_ward as ward on ward.ward_code = fact.ward_code
cross join latest
where fact.partner = 'police' and fact.category_group = 'Acquisitive' and fact.is_covered
    and fact.month_start > latest.last_month - interval 12 month
group by ward.ward_name, ward.district_name
order by acquisitive desc
limit 20
"""),
    ("Violence month by month in Birmingham, with the same month a year before", """
select month_start, incident_count,
    lag(incident_count, 12) over (order by month_start) as same_month_last_year
from marts.fct_district_month
where district_code = 'E08000025' and partner = 'police' and category_group = 'Violence' and is_covered
order by month_start
"""),
)


@dataclass
class NationalResult:
    data: NationalData
    work: Path
    runs: dict[str, Run] = field(default_factory=dict)     # the hub steps and "bare_ingest", in the order run
    commands: dict[str, str] = field(default_factory=dict)
    queries: list[Query] = field(default_factory=list)
    incidents_published: int | None = None
    error: str | None = None

    @property
    def end_to_end(self) -> float | None:
        """The four hub steps' seconds, once all four ran."""
        return sum(self.runs[step].seconds for step in HUB_STEPS) if set(HUB_STEPS) <= set(self.runs) else None

    @property
    def peak(self) -> tuple[str, int] | None:
        """(step, bytes) of the hub step with the largest peak resident memory."""
        hub = [(name, run.peak_rss) for name, run in self.runs.items() if name in HUB_STEPS]
        return max(hub, key=lambda item: item[1]) if hub else None


def measure(data: NationalData, work: Path, key_file: Path, settings: Settings) -> NationalResult:
    """Every measurement for one size, in `work` (emptied first)."""
    if work.exists():
        shutil.rmtree(work)
    paths = HubPaths(work / "hub")
    paths.ensure()
    env = hub_environment(paths.home, key_file, judged_as_at(data.last_month), settings)
    result = NationalResult(data, work)
    log = work / "commands.log"
    bare = work / "bare" / "bare.duckdb"
    bare.parent.mkdir()
    commands = {"area": [HUB, "area", AREA], "ingest": [HUB, "ingest", data.incoming], "build": [HUB, "build"],
                "check": [HUB, "check"], "publish": [HUB, "publish"],
                "bare_ingest": module_call("bench.baselines:bare_ingest", bare, data.incoming)}
    try:
        for name, argv in commands.items():
            result.commands[name] = display(argv)
            print(f"  {display(argv)}", end=" ", flush=True)
            # exit 1 from `hub check` is the gate refusing the data: the suites still ran in full
            run = run_child(argv, env, log, accept=(0, 1) if name == "check" else (0,))
            print(f"{run.seconds:.1f} s, peak {run.peak_rss / 1e9:.2f} GB", flush=True)
            if name != "area":
                result.runs[name] = run
            if name == "publish":
                result.queries = timed_queries(paths.published_db, env, [*NATIONAL_QUERIES, *guide_queries()])
                result.incidents_published = scalar(paths.published_db, "select count(*) from marts.fct_incidents")
    except StepFailed as error:
        print(f"failed (see {log})", flush=True)
        result.error = str(error)
    finally:
        shutil.rmtree(bare.parent, ignore_errors=True)  # tens of GB at national scale, and nothing reads it again
    return result


def write_results(path: Path, results: list[NationalResult], settings: Settings, *, command: str,
                  load: tuple[str, str]) -> None:
    largest = max(results, key=lambda r: r.data.rows)
    end_to_end = largest.end_to_end
    lines = [
        "# National scale: every police.uk force of England and Wales", "",
        f"{largest.data.rows:,} street-crime rows",
        f"end to end: {end_to_end:.0f} s" if end_to_end is not None else "end to end: not measured", "",
        f"Written by `{command}` on {datetime.now():%Y-%m-%d %H:%M}: one run of each step at each size. The data "
        "and how it is made are described in bench/national_scale.py, the run in bench/national.py.", "",
        *_targets(largest),
        *_sizes(results),
        *_growth(results),
        *_queries(largest),
        *environment_lines(settings, machine(), versions(), commit(), load),
        *_commands(results),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _targets(largest: NationalResult) -> list[str]:
    rows, seconds, peak = largest.data.rows, largest.end_to_end, largest.peak
    slowest = max((q.median_ms for q in largest.queries), default=None)
    rows_verdict = "PASS" if rows >= TARGET_ROWS else "MISS"
    return [
        "## Targets (the largest size)", "",
        "| measurement | figure | target | result |", "|---|---:|---|---|",
        f"| street-crime rows | {rows:,} | at least {TARGET_ROWS:,} | {rows_verdict} |",
        f"| end to end (`hub ingest` + `hub build` + `hub check` + `hub publish`) | "
        f"{'n/a' if seconds is None else f'{seconds:.0f} s'} | at most {TARGET_SECONDS:.0f} s | "
        f"{limit_verdict(seconds, TARGET_SECONDS)} |",
        f"| largest peak memory of a hub step | {bytes_text(peak[1]) if peak else 'n/a'}"
        f"{f' (`hub {peak[0]}`)' if peak else ''} | at most 4 GB | "
        f"{limit_verdict(peak[1] if peak else None, MEMORY_LIMIT_BYTES)} |",
        f"| slowest analyst query (median) | {ms_text(slowest)} | under {QUERY_LIMIT_MS} ms | "
        f"{limit_verdict(slowest, QUERY_LIMIT_MS)} |", "",
        *([f"The run stopped at {largest.data.rows:,} rows:", "", "```", largest.error, "```", ""]
          if largest.error else []),
    ]


def _sizes(results: list[NationalResult]) -> list[str]:
    lines = ["## Each size", "",
             "Seconds and peak resident memory of each step (one run). The bare read is DuckDB alone reading the same "
             "files into one table (no checks, pseudonyms, audit or placement): the floor under `hub ingest`.", "",
             "| rows | months | files | generated in | " + " | ".join(f"hub {s}" for s in HUB_STEPS)
             + " | end to end | bare DuckDB read | ingest / bare read | gate | marts.fct_incidents |",
             "|---:|---|---:|---:|" + "---:|" * len(HUB_STEPS) + "---:|---:|---:|---|---:|"]
    for r in sorted(results, key=lambda r: r.data.rows):
        d = r.data
        cells = [_step_cell(r.runs.get(step)) for step in HUB_STEPS]
        bare, ingest = r.runs.get("bare_ingest"), r.runs.get("ingest")
        ratio = f"{ingest.seconds / bare.seconds:.1f}x" if bare and ingest else "n/a"
        gate = {0: "passed", 1: "refused"}.get(r.runs["check"].exit_code) if "check" in r.runs else "n/a"
        published = "n/a" if r.incidents_published is None else f"{r.incidents_published:,}"
        lines.append(f"| {d.rows:,} | {d.first_month:%b %Y} to {d.last_month:%b %Y} | {d.files:,} | "
                     f"{d.generated_seconds:.0f} s | {' | '.join(cells)} | "
                     f"{'n/a' if r.end_to_end is None else f'{r.end_to_end:.0f} s'} | {_step_cell(bare)} | {ratio} | "
                     f"{gate} | {published} |")
    return lines + [""]


def _growth(results: list[NationalResult]) -> list[str]:
    """How each step's time grows with the rows: seconds per million rows at each size, and the exponent b of
    time ~ rows^b between the smallest and the largest size (1 is linear; above 1, worse than linear)."""
    measured = sorted(results, key=lambda r: r.data.rows)
    if len(measured) < 2:
        return []
    small, large = measured[0], measured[-1]
    lines = ["## How time grows with the rows", "",
             f"Seconds per million rows at each size, and b in time ~ rows^b from {small.data.rows:,} to "
             f"{large.data.rows:,} rows (b = 1: linear; above 1: worse than linear).", "",
             "| step | " + " | ".join(f"{r.data.rows:,} rows" for r in measured) + " | b |",
             "|---|" + "---:|" * (len(measured) + 1)]
    for step in (*HUB_STEPS, "end to end", "bare_ingest"):
        seconds = [r.end_to_end if step == "end to end" else (r.runs[step].seconds if step in r.runs else None)
                   for r in measured]
        per_million = [("n/a" if s is None else f"{s / (r.data.rows / 1e6):.1f} s") for s, r in zip(seconds, measured)]
        exponent = (f"{math.log(seconds[-1] / seconds[0]) / math.log(large.data.rows / small.data.rows):.2f}"
                    if seconds[0] and seconds[-1] else "n/a")
        name = {"end to end": "end to end", "bare_ingest": "bare DuckDB read"}.get(step, f"hub {step}")
        lines.append(f"| {name} | {' | '.join(per_million)} | {exponent} |")
    return lines + [""]


def _queries(largest: NationalResult) -> list[str]:
    lines = ["## Analyst queries (the largest size)", "",
             "Three national questions (bench/national.py NATIONAL_QUERIES), then the SQL blocks of "
             "docs/analyst-guide.md, on the published file opened read-only: the first run, then the median of the "
             "next five. The guide's queries are Greater Manchester's (its districts, its partners' feeds), so on "
             "England and Wales many return GM's rows or none.", ""]
    if not largest.queries:
        return lines + ["Not measured.", ""]
    lines += ["| # | query | rows | first run | median | result |", "|---:|---|---:|---:|---:|---|"]
    for i, q in enumerate(largest.queries, 1):
        lines.append(f"| {i} | {q.title} | {q.rows:,} | {ms_text(q.first_ms)} | {ms_text(q.median_ms)} | "
                     f"{limit_verdict(q.median_ms, QUERY_LIMIT_MS)} |")
    return lines + [""]


def _commands(results: list[NationalResult]) -> list[str]:
    lines = ["## Commands", "",
             "Each from the repository, with HUB_HOME, HUB_PSEUDONYM_KEY_FILE (the benchmark's own key), HUB_AS_AT "
             "(the end of the month after the data's last), HUB_MEMORY_LIMIT and HUB_THREADS set.", ""]
    for r in sorted(results, key=lambda r: r.data.rows):
        lines += [f"### {r.data.rows:,} rows (every command's output: {r.work / 'commands.log'})", "",
                  "```", *r.commands.values(), "```", ""]
    return lines


def _step_cell(run: Run | None) -> str:
    return "n/a" if run is None else f"{run.seconds:.0f} s, {run.peak_rss / 1e9:.2f} GB"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    settings = Settings(args.memory_limit, args.threads, repeat=1)
    key_file = args.work / "bench-pseudonym.key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        create_key_file(key_file)
    load_at_start = load_average()
    command = shlex.join(["python", "-m", "bench.national", *argv])
    # the largest first: a smaller size is its first months, linked
    sizes, largest = {}, None
    for rows in sorted(set(args.rows), reverse=True):
        print(f"{rows:,} rows: the data in {args.work / 'data' / str(rows)} ...", flush=True)
        sizes[rows] = prepare(args.work / "data" / str(rows), rows, monthly_rows=args.monthly_rows, within=largest)
        largest = largest or sizes[rows]
        print(f"  {sizes[rows].rows:,} rows in {sizes[rows].files:,} files, {sizes[rows].first_month:%b %Y} to "
              f"{sizes[rows].last_month:%b %Y}", flush=True)
    results = []
    for rows, data in sorted(sizes.items()):
        print(f"{rows:,} rows:", flush=True)
        results.append(measure(data, args.work / "runs" / str(rows), key_file, settings))
        if rows != max(sizes):
            shutil.rmtree(args.work / "runs" / str(rows) / "hub")  # tens of GB; the largest size's hub is kept
        write_results(args.results, results, settings, command=command, load=(load_at_start, load_average()))
        print(f"Wrote {args.results}", flush=True)
    return 1 if any(r.error for r in results) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[TARGET_ROWS],
                        help=f"sizes to measure, in street-crime rows (default {TARGET_ROWS})")
    parser.add_argument("--monthly-rows", type=int, default=NATIONAL_MONTHLY_ROWS,
                        help=f"England and Wales's rows a month before season and trend (default "
                             f"{NATIONAL_MONTHLY_ROWS:,})")
    parser.add_argument("--work", type=lambda text: Path(text).resolve(), default=WORK,
                        help=f"where the data and the hubs go (default {WORK.relative_to(PROJECT_DIR)})")
    parser.add_argument("--results", type=lambda text: Path(text).resolve(), default=RESULTS,
                        help="the report to write (default bench/RESULTS-national.md)")
    parser.add_argument("--memory-limit", default=MEMORY_LIMIT,
                        help=f"DuckDB's memory_limit for every step (default {MEMORY_LIMIT}, the hub's own)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="DuckDB's threads (default: the cores)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
