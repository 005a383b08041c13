"""`hub check`: every expectation suite in expectations/, against the working database, with a verdict.

Each suite is a reviewed JSON file naming its table and partner; each expectation has a severity (critical blocks
publication, warning is reported) and a one-line meaning. Results go to Data Docs and to audit.dq_results, so
quality can be queried over time and per partner.

Great Expectations runs in a child process (warehouse.validation): its DuckDB connection, like dbt's, must not
outlive its step, and GX does not reliably let go of it in-process.
"""

from __future__ import annotations

import atexit
import functools
import json
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from loaders.database import connect
from loaders.registry import all_contracts
from warehouse import gate, switch
from warehouse.area import Area, current_area, expected_ward_count
from warehouse.audit_records import ensure_audit_records
from warehouse.expectation_result import ExpectationResult
from warehouse.paths import PROJECT_DIR, HubPaths
from warehouse.raw_suites import standard_raw_suite
from warehouse.report_assets import make_offline

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
# Each run's Data Docs are built in reports/.data_docs-<run>, then reports/data_docs is pointed at it (switch.py).
DATA_DOCS_SITE_PREFIX = ".data_docs-"


@dataclass(frozen=True)
class QualityReport:
    run_id: str
    results: tuple[ExpectationResult, ...]
    data_docs_index: Path

    @property
    def critical_failures(self) -> tuple[ExpectationResult, ...]:
        return tuple(r for r in self.results if r.severity == "critical" and not r.success)

    @property
    def warning_failures(self) -> tuple[ExpectationResult, ...]:
        return tuple(r for r in self.results if r.severity != "critical" and not r.success)

    @property
    def passed(self) -> bool:
        return not self.critical_failures


def load_suites(folder: Path = EXPECTATIONS_DIR, paths: HubPaths | None = None) -> list[dict]:
    """The reviewed suites in expectations/, and the standard suite of every raw feed that has no reviewed one. The
    reviewed suites state Greater Manchester's geography; for another area (`hub area`) the expectations marked
    `area_expected` take that area's districts and ward count instead, or are left out where only GM's apply."""
    reviewed = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]
    area = current_area(paths) if paths else None
    if area is not None and not area.is_default:
        ward_count = expected_ward_count(area, paths)
        reviewed = [_for_area(suite, area, ward_count) for suite in reviewed]
    names = {suite["name"] for suite in reviewed}
    standard = [standard_raw_suite(c) for c in all_contracts() if f"raw_{c.table}" not in names]
    return reviewed + standard


def _for_area(suite: dict, area: Area, ward_count: int) -> dict:
    expectations = []
    for expectation in suite["expectations"]:
        expected = expectation.get("meta", {}).get("area_expected")
        if expected == "greater_manchester_only":
            continue
        if expected == "districts":
            expectation = {**expectation, "kwargs": {**expectation["kwargs"], "value_set": list(area.districts)},
                           "meta": {**expectation["meta"], "meaning": f"The districts are {area.name}'s."}}
        elif expected == "ward_count":
            expectation = {**expectation, "kwargs": {**expectation["kwargs"], "value": ward_count},
                           "meta": {**expectation["meta"],
                                    "meaning": f"All {ward_count} wards of {area.name} (national lookup) are listed."}}
        expectations.append(expectation)
    return {**suite, "expectations": expectations}


def check(paths: HubPaths, run_id: str | None = None) -> QualityReport:
    run_id = run_id or datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    suites = load_suites(paths=paths)
    site = paths.reports / f"{DATA_DOCS_SITE_PREFIX}{run_id}"
    with ThreadPoolExecutor(max_workers=1) as aside, validation_process() as child:
        # Submitting waits while the child's server imports GX (~3-5 s, unless an earlier check in this process
        # started it), so the last run's Data Docs are cleared and each suite's latest month read beside it.
        reading = aside.submit(_clear_docs_and_read_periods, paths, suites)
        results = child.submit(validate_in_child, paths, suites, run_id, site).result()
        periods = reading.result()
    make_offline(site)
    report = QualityReport(run_id, tuple(results), paths.data_docs / "index.html")
    _record(paths, report, periods)
    switch.point(paths.data_docs, site)
    switch.remove_all_but(paths.reports, f"{DATA_DOCS_SITE_PREFIX}*", site)
    return report


def validation_process() -> ProcessPoolExecutor:
    """The child process a check's GX validation runs in. It is forked from a server process that imported GX once
    (the import takes ~3-5 s), rather than started afresh: a process that checks more than once (the test suite) pays
    the import once. Like a newly started process, it holds nothing of this one (no open DuckDB connection)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["warehouse.validation"])
    _reap_forkserver_at_exit()
    return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=end_with, initargs=(os.getpid(),))


@functools.cache
def _reap_forkserver_at_exit() -> None:
    """At this process's exit, stop the server the checks' children are forked from and wait for it. Left to end on
    its own, it outlives this process and is nobody's child, so the resources it and the children it reaped used are
    lost to this process's parent: the benchmark takes a step's peak memory from wait4 (bench/measure.py), and saw
    0.34 GB for `hub check` of its 10M hub, 1.30 GB once the server is waited for. multiprocessing has no public way
    to stop its server; this is the one its own tests use. The server is killed first: it holds nothing to keep (its
    children have ended), and its own orderly exit, unloading GX, took ~1 s of every `hub check` at 10M."""
    def stop() -> None:
        server = multiprocessing.forkserver._forkserver
        if server._forkserver_pid is not None:
            os.kill(server._forkserver_pid, signal.SIGKILL)
        server._stop()

    atexit.register(stop)


def validate_in_child(paths: HubPaths, suites: list[dict], run_id: str, site: Path) -> list[ExpectationResult]:
    """Run in the check's child, whose server has imported GX. The process that checks never imports GX itself: it
    only hands the work over, and importing GX to name the function cost it ~5 s (a sixth of a check at 10M
    incidents)."""
    from warehouse.validation import validate_suites

    return validate_suites(paths, suites, run_id, site)


def end_with(parent_pid: int) -> None:
    """Run first in the check's child: end it as soon as the process that started it is gone. A pool's child whose
    parent is killed (a `hub check` stopped with kill or Ctrl-C) otherwise waits for work for ever, still holding the
    working database open, so the next `hub build` or `hub ingest` cannot take its write lock."""
    def watch() -> None:
        while _alive(parent_pid):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of that number exists, only not ours to signal
    return True


def _clear_docs_and_read_periods(paths: HubPaths, suites: list[dict]) -> dict[str, str | None]:
    switch.remove_all_but(paths.reports, f"{DATA_DOCS_SITE_PREFIX}*", switch.current_target(paths.data_docs))
    return _latest_periods(paths, suites)


def _latest_periods(paths: HubPaths, suites: list[dict]) -> dict[str, str | None]:
    """The latest month (YYYY-MM) in each suite's table, so a result says which data it judged."""
    periods: dict[str, str | None] = {}
    con = connect(paths.working_db, read_only=True)
    try:
        for spec in suites:
            column, table = spec["meta"].get("period_column"), spec["meta"]["table"]
            try:
                periods[spec["name"]] = con.execute(f"select strftime(max({column}), '%Y-%m') from {table}").fetchone()[0] if column else None
            except duckdb.CatalogException:
                periods[spec["name"]] = None  # the table is missing; its result already says so
    finally:
        con.close()
    return periods


def _record(paths: HubPaths, report: QualityReport, periods: dict[str, str | None]) -> None:
    """Append every result, once the child process running GX has exited and let go of the file."""
    run_at = datetime.now()
    con = connect(paths.working_db)
    try:
        ensure_audit_records(con)
        con.begin()
        con.executemany(
            "insert into audit.dq_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[report.run_id, run_at, r.suite, r.table, r.expectation_type, r.column, r.severity, r.meaning, r.success,
              r.element_count, r.unexpected_count, r.unexpected_percent, r.observed_value, r.partner,
              periods.get(r.suite)]
             for r in report.results],
        )
        gate.record_quality_run(con, report.run_id, len(report.critical_failures))
        con.commit()
    finally:
        con.close()
