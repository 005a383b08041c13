"""The pipeline as functions: ingest -> build -> check -> publish. The CLI and the tests both drive this."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loaders.engine import LoadResult
from loaders.ingest import ingest_deliveries, ingest_files
from loaders.pseudonyms import load_key
from loaders.registry import LOAD_ORDER
from warehouse.paths import HubPaths
from warehouse.publish import PublishResult, publish
from warehouse.quality import QualityReport, check
from warehouse.transform import BuildPlan, build


AS_AT_ENV = "HUB_AS_AT"


class SettingError(ValueError):
    """A setting in the environment that cannot be read."""


def as_at_from_env() -> date | None:
    """HUB_AS_AT (YYYY-MM-DD): the date timeliness is judged at, read here only and handed to dbt as its as_at var."""
    value = os.environ.get(AS_AT_ENV, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingError(f"{AS_AT_ENV} must be a date written YYYY-MM-DD, not {value!r}") from None


class QualityGateFailed(Exception):
    """A critical expectation failed, so nothing was published."""

    def __init__(self, report: QualityReport):
        self.report = report
        failed = ", ".join(f"{r.suite}: {r.expectation_type}" for r in report.critical_failures)
        super().__init__(
            f"{len(report.critical_failures)} critical expectation(s) failed ({failed}); "
            f"the published data was left as it was. Read {report.data_docs_index}"
        )


@dataclass(frozen=True)
class RunOutcome:
    loads: list[LoadResult]
    quality: QualityReport
    published: PublishResult


@dataclass(frozen=True)
class Hub:
    paths: HubPaths
    as_at: date | None = None  # the date timeliness is judged at; today when not given
    key_file: Path | None = None  # the pseudonym key when not in the environment (the demo's own key)

    @classmethod
    def from_env(cls) -> "Hub":
        return cls(HubPaths.from_env().ensure(), as_at=as_at_from_env())

    def ingest(self, partner: str, *files: Path, show_progress: bool = False, reload: bool = False) -> list[LoadResult]:
        return ingest_files(self.paths.working_db, partner, [Path(f) for f in files], key_file=self.key_file,
                            show_progress=show_progress, reload=reload, hub_home=self.paths.home)

    def ingest_from(self, folder: Path, show_progress: bool = False, reload: bool = False) -> list[LoadResult]:
        """Load every file under folder/<partner>/ (the postcode directory first, so postcodes can be placed), each
        partner's in the order they were delivered (a correction after what it corrects); files whose bytes were
        ever loaded are skipped by their checksum, unless reload."""
        order = {name: i for i, name in enumerate(LOAD_ORDER)}
        deliveries: dict[str, list[Path]] = {}
        for partner_dir in sorted((p for p in folder.iterdir() if p.is_dir()),
                                  key=lambda p: (order.get(p.name, len(order)), p.name)):
            files = sorted((f for f in partner_dir.rglob("*") if f.is_file() and not f.name.startswith(".")),
                           key=lambda f: (f.stat().st_mtime, f.name))
            if files:
                deliveries[partner_dir.name] = files
        return ingest_deliveries(self.paths.working_db, deliveries, key_file=self.key_file,
                                 show_progress=show_progress, reload=reload, hub_home=self.paths.home)

    def build(self, full_refresh: bool = False) -> BuildPlan:
        return build(self.paths, as_at=self.as_at, full_refresh=full_refresh)

    def check(self) -> QualityReport:
        """Run every suite (the partner scorecard, a view, carries this run's results at once)."""
        return check(self.paths)

    def publish(self, open_data: bool = False) -> PublishResult:
        return publish(self.paths, open_data=open_data, as_at=self.as_at)

    def run(self, show_progress: bool = False, say: Callable[[str], None] = lambda _: None,
            open_data: bool = False) -> RunOutcome:
        load_key(self.key_file)  # a real run without the partnership's pseudonym key refuses to start
        say(f"Loading new files from {self.paths.incoming} ...")
        loads = self.ingest_from(self.paths.incoming, show_progress=show_progress)
        say("Building the models and running the dbt tests (dbt build) ...")
        self.build()
        say("Running the expectation suites (the quality gate) ...")
        report = self.check()
        if not report.passed:
            raise QualityGateFailed(report)
        say("Publishing ...")
        return RunOutcome(loads, report, self.publish(open_data=open_data))
