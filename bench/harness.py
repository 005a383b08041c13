"""The measurements for one size of generated data: each hub step side by side with its baseline, repeated.

Every step is a child process (bench.measure), timed from start to exit with its peak memory. The order follows the
pipeline, one hub home for the size:

- ingest: `hub ingest` of every month but the last, into a fresh home each repeat (a file already loaded would be
  skipped), against bench.baselines.bare_ingest of the same files into a fresh database;
- build: `hub build --full-refresh` (every model and data test), against bench.handwritten.build_main_marts and
  bench.pandas_facts.ward_month_and_kpi on a copy of the database as ingest left it (raw.* and audit.*, with the
  build's coverage table beside them), and dbt's
  build of the script's two facts alone (bench.handwritten.dbt_facts: the same work as the script);
- quality: `hub check` (every GX suite, Data Docs, the gate's record) and the suites alone (bench.quality_sql.
  run_gx_suites, as warehouse.quality.check runs them), against bench.quality_sql.run_sql_checks on the database as
  the build left it;
- publish: `hub publish`, then the analyst guide's example queries on the published file, read-only;
- incremental: the built database restored, the held-back month ingested, then `hub build` (the facts recompute the
  new month) against `hub build --full-refresh` of the same data; between them `hub build` once more, with nothing
  new to build: what any build costs at this size, the floor under the incremental build;
- floor: a second hub holding the reference data and no partner row, `hub build --full-refresh` of it and its models
  and seeds alone (bench.floor.models_and_seeds): what any build of this project costs before it reads a partner's
  row, whatever the size, against the script and against the full rebuild (bench/README: "Why the targets are
  missed"). dbt outside the size's hub (here, and the script's two facts) starts from that hub's saved parse.

A hub step that fails ends the size (what follows needs it); a baseline that fails is reported and the rest goes on.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from bench.measure import Run, Step, StepFailed, run_child
from bench.scale import BenchData
from loaders.database import sql_literal
from loaders.reference_defaults import load_reference_defaults
from warehouse.paths import PROJECT_DIR, HubPaths

HUB = Path(sys.executable).with_name("hub")
GUIDE = PROJECT_DIR / "docs" / "analyst-guide.md"
QUERY_RUNS = 5      # per example query, after its first (cold) run
PARSE = "partial_parse.msgpack"     # dbt's saved parse, in its target folder


@dataclass(frozen=True)
class Settings:
    """DuckDB's limits for every step, passed to the hub as HUB_MEMORY_LIMIT and HUB_THREADS (dbt's model threads
    too; dbt sets the temp_directory to HUB_HOME/tmp itself)."""
    memory_limit: str
    threads: int
    repeat: int


@dataclass(frozen=True)
class Query:
    title: str          # the guide's words before the query, shortened
    rows: int
    first_ms: float
    median_ms: float


@dataclass
class SizeResult:
    data: BenchData
    work: Path
    steps: dict[str, Step] = field(default_factory=dict)
    queries: list[Query] = field(default_factory=list)
    incidents_built: int | None = None      # rows of marts.fct_incidents
    build_plans: list[str] = field(default_factory=list)   # what each `hub build` of the incremental step said
    error: str | None = None


def measure(data: BenchData, work: Path, key_file: Path, settings: Settings) -> SizeResult:
    """Every measurement for one size, in `work` (emptied first)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    result = SizeResult(data, work)
    paths = HubPaths(work / "hub")
    bench = _Bench(work, paths, hub_environment(paths.home, key_file, data.as_at, settings), settings.repeat)
    try:
        _ingest(bench, data, result)
        _build(bench, result)
        _quality(bench, result)
        _publish(bench, result)
        _incremental(bench, data, result)
        _floor(bench, result)
    except StepFailed as error:
        result.error = str(error)
    return result


def hub_environment(home: Path, key_file: Path, as_at: date, settings: Settings) -> dict[str, str]:
    """The environment of every child: the hub's home, the benchmark's own pseudonym key (as the demo makes its
    own), deliveries judged as at the end of the data's story, DuckDB's limits, and no telemetry."""
    env = {name: value for name, value in os.environ.items() if name != "HUB_PSEUDONYM_KEY"}
    return {**env, "HUB_HOME": str(home), "HUB_PSEUDONYM_KEY_FILE": str(key_file),
            "HUB_AS_AT": as_at.isoformat(), "HUB_MEMORY_LIMIT": settings.memory_limit,
            "HUB_THREADS": str(settings.threads), "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "false"}


@dataclass(frozen=True)
class _Bench:
    work: Path
    paths: HubPaths
    env: dict[str, str]
    repeat: int

    @property
    def log(self) -> Path:
        return self.work / "commands.log"

    def step(self, argv: list, *, before=lambda: None, required: bool = True, accept: tuple[int, ...] = (0,)) -> Step:
        """argv run `repeat` times, `before` (untimed) ahead of each; a failure raises if the step is required,
        else it is recorded on the step."""
        step = Step(display(argv))
        try:
            for _ in range(self.repeat):
                before()
                step.runs.append(self.run(argv, accept))
        except StepFailed as error:
            if required:
                raise
            step.error = str(error)
        return step

    def run(self, argv: list, accept: tuple[int, ...] = (0,)) -> Run:
        print(f"  {display(argv)}", end=" ", flush=True)
        try:
            run = run_child(argv, self.env, self.log, accept)
        except StepFailed:
            print(f"failed (see {self.log})", flush=True)
            raise
        print(f"{run.seconds:.1f} s, peak {run.peak_rss / 1e9:.2f} GB", flush=True)
        return run

    def copy(self, name: str) -> Path:
        """Where a copy of the working database called `name` goes: a folder of its own, the file keeping the name
        hub.duckdb, because dbt's views name their catalog, which DuckDB takes from the file's name."""
        return self.work / name / self.paths.working_db.name

    def snapshot(self, name: str) -> Path:
        copy_database(self.paths.working_db, self.copy(name))
        return self.copy(name)


def _ingest(bench: _Bench, data: BenchData, result: SizeResult) -> None:
    def fresh_home():
        shutil.rmtree(bench.paths.home, ignore_errors=True)
        bench.paths.ensure()

    result.steps["ingest"] = bench.step([HUB, "ingest", data.incoming], before=fresh_home)
    ingested = bench.snapshot("ingested")
    result.steps["ingest"].rows = scalar(ingested, "select sum(rows_read) from audit.loads")
    # the public reference data `hub build` loads first, loaded now (untimed) so every build alternative reads it
    load_reference_defaults(bench.paths.working_db, bench.paths.home)
    bench.snapshot("ingested")
    bare = bench.work / "bare.duckdb"
    result.steps["bare_ingest"] = bench.step(module_call("bench.baselines:bare_ingest", bare, data.incoming),
                                             before=lambda: bare.unlink(missing_ok=True), required=False)
    if result.steps["bare_ingest"].runs:
        result.steps["bare_ingest"].rows = _rows_in_every_table(bare)


def _build(bench: _Bench, result: SizeResult) -> None:
    ingested, handwritten = bench.copy("ingested"), bench.copy("hand_written_sql")
    result.steps["build"] = bench.step([HUB, "build", "--full-refresh"])
    bench.snapshot("built")
    result.incidents_built = scalar(bench.paths.working_db, "select count(*) from marts.fct_incidents")
    # both read the raw tables as ingest left them, with the build's coverage beside them; the script writes its
    # marts into its own copy
    built, pandas = bench.copy("built"), bench.copy("pandas")
    result.steps["handwritten"] = bench.step(module_call("bench.handwritten:build_main_marts", handwritten),
                                             before=lambda: copy_with_coverage(ingested, handwritten, built),
                                             required=False)
    result.steps["pandas"] = bench.step(module_call("bench.pandas_facts:ward_month_and_kpi", pandas),
                                        before=lambda: copy_with_coverage(ingested, pandas, built), required=False)
    facts = bench.copy("dbt_facts")
    share_saved_parse(bench.paths, HubPaths(facts.parent))
    result.steps["dbt_facts"] = bench.step(module_call("bench.handwritten:dbt_facts", facts),
                                           before=lambda: copy_database(ingested, facts))
    for name in ("build", "handwritten", "pandas", "dbt_facts"):
        result.steps[name].rows = result.incidents_built


def _quality(bench: _Bench, result: SizeResult) -> None:
    # exit 1 is the gate refusing the data: the suites still ran in full, so the time stands (RESULTS says so)
    result.steps["check"] = bench.step([HUB, "check"], accept=(0, 1))
    # the suites alone, without the CLI's start-up and writer lock, on a copy of the build (they write the audit)
    suites = bench.copy("gx_suites")
    result.steps["gx_suites"] = bench.step(module_call("bench.quality_sql:run_gx_suites", suites),
                                           before=lambda: copy_database(bench.copy("built"), suites))
    # the SQL checks open the database read-only, so they can read the built snapshot itself
    result.steps["sql_checks"] = bench.step(module_call("bench.quality_sql:run_sql_checks", bench.copy("built")),
                                            required=False)
    for name in ("check", "gx_suites", "sql_checks"):
        result.steps[name].rows = result.incidents_built


def _publish(bench: _Bench, result: SizeResult) -> None:
    result.steps["publish"] = bench.step([HUB, "publish"])
    result.queries = analyst_queries(bench.paths.published_db, bench.env)


def _incremental(bench: _Bench, data: BenchData, result: SizeResult) -> None:
    """Per repeat: back to the build of every month but the last, the last month in, the incremental build timed,
    a build with nothing new timed, then the full rebuild of the same data timed."""
    commands = {"ingest_month": [HUB, "ingest", data.held_back], "incremental": [HUB, "build"],
                "nothing_new": [HUB, "build"], "full_refresh": [HUB, "build", "--full-refresh"]}
    steps = {name: Step(display(argv)) for name, argv in commands.items()}
    result.steps.update(steps)
    for _ in range(bench.repeat):
        copy_database(bench.copy("built"), bench.paths.working_db)
        for name, argv in commands.items():
            steps[name].runs.append(bench.run(argv))
        result.build_plans += [steps[name].runs[-1].last_line for name in ("incremental", "nothing_new")]
    steps["ingest_month"].rows = scalar(bench.paths.working_db, "select sum(rows_read) from audit.loads "
                                        f"where file_name like '{data.last_month:%Y-%m}-%'")
    for name in ("incremental", "nothing_new", "full_refresh"):
        steps[name].rows = scalar(bench.paths.working_db, "select count(*) from marts.fct_incidents")


def _floor(bench: _Bench, result: SizeResult) -> None:
    """A hub of its own with the reference data loaded (untimed, as for the size's own hub) and no partner row, and
    dbt's saved parse of the size's hub, which the project and vars share, so neither build parses the project."""
    paths = HubPaths(bench.work / "floor" / "hub")
    paths.ensure()
    load_reference_defaults(paths.working_db, paths.home)
    share_saved_parse(bench.paths, paths)
    empty = _Bench(bench.work, paths, {**bench.env, "HUB_HOME": str(paths.home)}, bench.repeat)
    result.steps["floor"] = empty.step([HUB, "build", "--full-refresh"])
    result.steps["floor_models"] = empty.step(module_call("bench.floor:models_and_seeds", paths.working_db))
    rows = scalar(paths.working_db, "select count(*) from marts.fct_incidents")
    for name in ("floor", "floor_models"):
        result.steps[name].rows = rows


def share_saved_parse(source: HubPaths, target: HubPaths) -> None:
    """dbt's saved parse of one hub given to another of the same project, area and vars, so that dbt there starts as
    it does on a hub's second build, without parsing the project again (~8 s)."""
    (target.dbt_dir / "target").mkdir(parents=True, exist_ok=True)
    shutil.copy2(source.dbt_dir / "target" / PARSE, target.dbt_dir / "target" / PARSE)


def analyst_queries(published: Path, env: dict[str, str]) -> list[Query]:
    """Each ```sql block of the analyst guide on the published file (timed_queries)."""
    return timed_queries(published, env, guide_queries())


def guide_queries() -> list[tuple[str, str]]:
    """(title, SQL) of each ```sql block of the analyst guide."""
    text = GUIDE.read_text(encoding="utf-8")
    return [(_title(text[:match.start()]), match.group(1))
            for match in re.finditer(r"```sql\n(.*?)```", text, flags=re.DOTALL)]


def timed_queries(published: Path, env: dict[str, str], queries: list[tuple[str, str]]) -> list[Query]:
    """Each (title, SQL) on the published file, read-only as analysts open it: the first run (cold) and the median
    of QUERY_RUNS more."""
    config = {"memory_limit": env["HUB_MEMORY_LIMIT"], "threads": int(env["HUB_THREADS"])}
    con = duckdb.connect(str(published), read_only=True, config=config)
    timed = []
    try:
        for title, sql in queries:
            times, rows = [], 0
            for _ in range(1 + QUERY_RUNS):
                started = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                times.append((time.perf_counter() - started) * 1000)
            timed.append(Query(title, rows, times[0], statistics.median(times[1:])))
    finally:
        con.close()
    return timed


def _title(before: str) -> str:
    """The guide's sentence introducing a query: the paragraph before it, its first line, without its number."""
    line = re.sub(r"^\d+\.\s*", "", before.rstrip().split("\n\n")[-1].splitlines()[0]).rstrip(":")
    return line if len(line) <= 80 else line[:77] + "..."


def module_call(function: str, *paths: Path) -> list:
    return [sys.executable, "-m", "bench.call", function, *paths]


def display(argv: list) -> str:
    """A command as RESULTS.md shows it: `hub …` and `python …` rather than the virtualenv's full paths."""
    words = [str(a) for a in argv]
    words[0] = {str(HUB): "hub", sys.executable: "python"}.get(words[0], words[0])
    return " ".join(words)


def copy_database(source: Path, target: Path) -> None:
    """A byte copy of a database no one has open, its write-ahead log folded in first (as publish does), in place of
    the target and any log of its own."""
    con = duckdb.connect(str(source))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    Path(f"{target}.wal").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def copy_with_coverage(source: Path, target: Path, built: Path) -> None:
    """A copy of the database as ingest left it, with the build's intermediate.int_feed_coverage beside the raw tables:
    the alternatives take which district-months the deliveries cover as an input (a table of a few thousand rows)
    rather than restating the coverage rule."""
    copy_database(source, target)
    con = duckdb.connect(str(target))
    try:
        # ATTACH takes no parameter in DuckDB's grammar: the path goes in as a quoted literal
        con.execute(f"attach {sql_literal(str(built))} as built (read_only)")
        con.execute("create schema if not exists intermediate")
        con.execute("create table intermediate.int_feed_coverage as "
                    "select * from built.intermediate.int_feed_coverage")
    finally:
        con.close()


def scalar(database: Path, sql: str):
    """The first value of sql's first row, on database opened read-only."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _rows_in_every_table(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = [name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()]
        return sum(con.execute(f'select count(*) from "{name}"').fetchone()[0] for name in tables)
    finally:
        con.close()
