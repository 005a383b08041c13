"""bench/RESULTS.md: the figures of a benchmark run, with the machine, versions, settings and commands behind them.

Absolute times vary from machine to machine and run to run, so every target is judged on a ratio taken within the
same run (or, for memory and the analyst queries, on a fixed limit at the largest size measured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.harness import SizeResult, Settings
from bench.scale import INCIDENTS_PER_SCALE_MONTH

MEMORY_LIMIT_BYTES = 4e9        # the 4 GB, as DuckDB counts a GB
QUERY_LIMIT_MS = 100
BASELINES = ("bare_ingest", "handwritten", "pandas", "sql_checks")   # every other step is the hub's: 4 GB applies
STEP_NAMES = {
    "ingest": "hub ingest (loaders)", "bare_ingest": "bare DuckDB read_csv", "build": "hub build (dbt, every model)",
    "handwritten": "hand-written DuckDB SQL", "pandas": "pandas ward-month facts + 1 KPI",
    "dbt_facts": "dbt, the script's two facts alone",
    "check": "hub check (GX suites + scorecard)", "gx_suites": "GX suites alone",
    "sql_checks": "same checks as plain SQL", "publish": "hub publish",
    "ingest_month": "hub ingest (the new month)", "incremental": "hub build (incremental)",
    "nothing_new": "hub build (nothing new)", "full_refresh": "hub build --full-refresh",
    "floor": "hub build --full-refresh, no partner row", "floor_models": "its models and seeds alone, no partner row",
}


@dataclass(frozen=True)
class Comparison:
    section: str
    ours: str
    baseline: str
    by: str                 # "throughput": ours / baseline rows per second; "time": ours / baseline seconds
    limit: float | None     # None: reported, no target
    target: str

    def ratio(self, result: SizeResult) -> float | None:
        ours, baseline = result.steps.get(self.ours), result.steps.get(self.baseline)
        if not (ours and baseline):
            return None
        if self.by == "throughput":
            return _divide(ours.rows_per_second, baseline.rows_per_second)
        return _divide(ours.seconds, baseline.seconds)

    def verdict(self, ratio: float | None) -> str:
        if self.limit is None:
            return "reported"
        if ratio is None:
            return "not measured"
        return "PASS" if (ratio >= self.limit if self.by == "throughput" else ratio <= self.limit) else "MISS"


COMPARISONS = (
    Comparison("Ingest", "ingest", "bare_ingest", "throughput", 2 / 3,
               "loaders' rows per second at least 2/3 of bare DuckDB's"),
    Comparison("Build", "build", "handwritten", "time", 2.0, "dbt build within 2x the hand-written SQL script"),
    Comparison("Build", "build", "pandas", "time", None, "dbt build against pandas: reported, no target"),
    Comparison("Build", "dbt_facts", "handwritten", "time", None,
               "dbt on the same work as the script (its two facts and what they depend on): reported"),
    Comparison("Build", "floor", "handwritten", "time", None,
               "the floor: every model and data test of the project on a hub with the reference data and no partner "
               "row, against the script at this size; over 2, no build of this project through dbt meets the "
               "target, whatever its models do with the data: reported"),
    Comparison("Build", "floor_models", "handwritten", "time", None,
               "the floor without a data test (every model and seed, no partner row) against the script: reported"),
    Comparison("Incremental", "incremental", "full_refresh", "time", 0.10,
               "one new month at most 10% of a full rebuild"),
    Comparison("Incremental", "nothing_new", "full_refresh", "time", None,
               "a build with nothing new (every model and test, no month recomputed) against a full rebuild: the "
               "incremental design's floor, reported"),
    Comparison("Incremental", "floor", "full_refresh", "time", None,
               "the floor (every model and data test, no partner row) against a full rebuild at this size; over 0.10, "
               "no build of this project through dbt meets the target: reported"),
    Comparison("Incremental", "floor_models", "full_refresh", "time", None,
               "the floor without a data test against a full rebuild: reported"),
    Comparison("Quality", "gx_suites", "sql_checks", "time", 2.0, "GX suites within 2x the same checks as plain SQL"),
    Comparison("Quality", "check", "sql_checks", "time", None,
               "hub check (the suites, then the scorecard's dbt rebuild) against the same checks: reported"),
)


def write_results(path: Path, results: list[SizeResult], settings: Settings, *, command: str,
                  machine: dict[str, str], versions: dict[str, str], commit: str, load: tuple[str, str]) -> None:
    largest = max(results, key=lambda r: r.data.incidents_asked)
    lines = [
        "# Benchmark results", "",
        f"Written by `{command}` on {datetime.now():%Y-%m-%d %H:%M}. Times are medians of {settings.repeat} run(s) of "
        "each step; absolute times vary with the machine and what else it is doing, so each target is judged on a "
        "ratio taken in the same run, or, for memory and the analyst queries, at the largest size measured. "
        "`make bench` runs this; the generator, harness and their choices are described in bench/scale.py and "
        "bench/harness.py.", "",
        *environment_lines(settings, machine, versions, commit, load),
        *_data(results),
        *_summary(results, largest),
    ]
    for section in ("Ingest", "Build", "Incremental", "Quality"):
        lines += _section(section, results)
    lines += _memory(largest) + _queries(results) + _commands(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def environment_lines(settings, machine, versions, commit, load) -> list[str]:
    return [
        "## Machine, versions and settings", "",
        *(f"- **{name}**: {value}" for name, value in machine.items()),
        f"- **Load average** (1, 5, 15 min) at the start: {load[0]}; at the end: {load[1]}",
        "- **Versions**: " + ", ".join(f"{name} {value}" for name, value in versions.items()),
        f"- **Commit**: {commit} (read from .git; uncommitted changes are not detected)",
        f"- **DuckDB**: memory_limit {settings.memory_limit} and threads {settings.threads} for every step, set "
        "explicitly through HUB_MEMORY_LIMIT and HUB_THREADS (read by loaders.database's connections and by dbt's "
        "through profiles.yml, where it is dbt's model threads too) and on the analyst queries' connection. "
        "temp_directory: dbt spills to HUB_HOME/tmp (HUB_TEMP_DIR, set by warehouse.transform), the bare baseline to "
        "tmp/ beside its database; the loaders, `hub check` and `hub publish` open the database through "
        "loaders.database without one, so DuckDB spills to its default, `hub.duckdb.tmp/` beside the file. GX's "
        "own connection (warehouse/validation.py) gets the same limits through duckdb-engine's connect_args.",
        "- **Peak RSS** is what the kernel reports to wait4 for each step's process: the largest of that process and "
        "the processes it waited for (dbt under `hub build`), not their sum.", "",
    ]


def _data(results: list[SizeResult]) -> list[str]:
    lines = [
        "## Data", "",
        "Generated by bench/scale.py with the demo's generators (every partner feed in its real format; by default "
        "ten financial years, April 2011 to March 2021). Incidents are the rows of the eight event feeds: incidents "
        f"= {INCIDENTS_PER_SCALE_MONTH:,} x scale x months (measured over the ten years; see bench/scale.py). The "
        "last month is held back for the incremental step; `hub ingest`, the bare baseline, the build and the "
        "checks take the rest.", "",
        "| incidents asked | scale | months | files | incidents written | in marts.fct_incidents, last month held "
        "back | generated in |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        d = r.data
        lines.append(f"| {d.incidents_asked:,} | {d.scale:.4f} | {d.months} from {d.first_month:%B %Y} | {d.files:,} "
                     f"| {d.incidents:,} | {_count(r.incidents_built)} | {d.generated_seconds:.0f} s |")
    return lines + [""]


def _summary(results: list[SizeResult], largest: SizeResult) -> list[str]:
    lines = ["## Targets", "", "| measurement | incidents | figure | target | result |", "|---|---:|---|---|---|"]
    for c in COMPARISONS:
        for r in results:
            ratio = c.ratio(r)
            lines.append(f"| {c.section}: {STEP_NAMES[c.ours]} / {STEP_NAMES[c.baseline]} | "
                         f"{r.data.incidents_asked:,} | {_ratio(ratio)} | {c.target} | {c.verdict(ratio)} |")
    peak = max((step.peak_rss for name, step in largest.steps.items() if name not in BASELINES and step.runs),
               default=None)
    lines.append(f"| Memory: largest peak RSS of the hub's steps | {largest.data.incidents_asked:,} | {bytes_text(peak)} "
                 f"| at most {bytes_text(MEMORY_LIMIT_BYTES)} | {limit_verdict(peak, MEMORY_LIMIT_BYTES)} |")
    slowest = max((q.median_ms for q in largest.queries), default=None)
    lines.append(f"| Analyst queries: slowest median | {largest.data.incidents_asked:,} | {ms_text(slowest)} "
                 f"| each under {QUERY_LIMIT_MS} ms | {limit_verdict(slowest, QUERY_LIMIT_MS)} |")
    lines.append("")
    for r in results:
        if r.error:
            lines += [f"**{r.data.incidents_asked:,} incidents stopped early**: a hub step failed, so the steps after "
                      "it were not measured:", "", "```", r.error, "```", ""]
    return lines


def _section(section: str, results: list[SizeResult]) -> list[str]:
    comparisons = [c for c in COMPARISONS if c.section == section]
    names = list(dict.fromkeys(n for c in comparisons for n in (c.ours, c.baseline)))
    if section == "Incremental":
        names.insert(0, "ingest_month")
    lines = [f"## {section}", ""]
    for r in results:
        lines += [f"### {r.data.incidents_asked:,} incidents", "", *_step_table(r, names), ""]
        for c in comparisons:
            ratio = c.ratio(r)
            lines.append(f"- {c.target}: {_ratio(ratio)}, **{c.verdict(ratio)}**")
        if section == "Incremental" and r.build_plans:
            lines.append("- what each `hub build` without --full-refresh said, in turn: "
                         + "; ".join(f"`{p}`" for p in r.build_plans))
        if section == "Quality" and "check" in r.steps and any(run.exit_code == 1 for run in r.steps["check"].runs):
            lines.append("- `hub check` exited 1: a critical expectation failed (the suites ran in full; see the log)")
        lines.append("")
    return lines


def _step_table(result: SizeResult, names: list[str]) -> list[str]:
    lines = ["| step | median | runs | rows | rows per second | peak RSS |", "|---|---:|---|---:|---:|---:|"]
    for name in names:
        step = result.steps.get(name)
        if step is None:
            lines.append(f"| {STEP_NAMES[name]} | not run | | | | |")
        elif step.error:
            lines.append(f"| {STEP_NAMES[name]} | failed: {_last_line(step.error)} | | | | |")
        else:
            runs = ", ".join(f"{run.seconds:.1f}" for run in step.runs)
            lines.append(f"| {STEP_NAMES[name]} | {seconds_text(step.seconds)} | {runs} | {_count(step.rows)} | "
                         f"{_count(step.rows_per_second)} | {bytes_text(step.peak_rss)} |")
    return lines


def _memory(largest: SizeResult) -> list[str]:
    lines = [f"## Memory at {largest.data.incidents_asked:,} incidents", "",
             f"Peak RSS of each step (the largest over its runs); the target, at most {bytes_text(MEMORY_LIMIT_BYTES)}, "
             "applies to the hub's steps.", "", "| step | peak RSS | target | result |", "|---|---:|---|---|"]
    for name, step in largest.steps.items():
        if step.runs:
            hub = name not in BASELINES
            lines.append(f"| {STEP_NAMES[name]} | {bytes_text(step.peak_rss)} | "
                         f"{'at most ' + bytes_text(MEMORY_LIMIT_BYTES) if hub else 'none (baseline)'} | "
                         f"{limit_verdict(step.peak_rss, MEMORY_LIMIT_BYTES) if hub else ''} |")
    return lines + [""]


def _queries(results: list[SizeResult]) -> list[str]:
    lines = ["## Analyst queries", "",
             "The SQL blocks of docs/analyst-guide.md, each on the published file opened read-only (one "
             "connection): its first run, then the median of the next five.", ""]
    for r in results:
        lines += [f"### {r.data.incidents_asked:,} incidents", ""]
        if not r.queries:
            lines += ["Not measured.", ""]
            continue
        lines += ["| # | query | rows | first run | median | result |", "|---:|---|---:|---:|---:|---|"]
        for i, q in enumerate(r.queries, 1):
            lines.append(f"| {i} | {q.title} | {q.rows:,} | {ms_text(q.first_ms)} | {ms_text(q.median_ms)} | "
                         f"{limit_verdict(q.median_ms, QUERY_LIMIT_MS)} |")
        lines.append("")
    return lines


def _commands(results: list[SizeResult]) -> list[str]:
    lines = ["## Commands", "",
             "Each step ran as below from the repository, with HUB_HOME, HUB_PSEUDONYM_KEY_FILE (the benchmark's own "
             "key), HUB_AS_AT (the end of the data's story), HUB_MEMORY_LIMIT and HUB_THREADS set. "
             "`python -m bench.call MODULE:FUNCTION PATH` calls the function on the path in a process of its own.", ""]
    for r in results:
        lines += [f"### {r.data.incidents_asked:,} incidents (every command's output: {r.work / 'commands.log'})", "",
                  "```", *(f"{step.command}" for step in r.steps.values()), "```", ""]
        for name, step in r.steps.items():
            if step.error:
                lines += [f"{STEP_NAMES[name]} failed:", "", "```", step.error, "```", ""]
    return lines


def _divide(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def limit_verdict(value: float | None, limit: float) -> str:
    return "not measured" if value is None else ("PASS" if value <= limit else "MISS")


def _last_line(text: str) -> str:
    """An error's last line (a traceback's exception), fit for a table cell."""
    return text.strip().splitlines()[-1].replace("|", "/") if text.strip() else ""


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def seconds_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} s"


def ms_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def _count(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def bytes_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 1e9:.2f} GB"
