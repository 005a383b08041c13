"""`hub`: a thin command-line shell over warehouse.pipeline. Exit codes: 0 ok, 1 data refused, 2 usage/environment,
3 the hub failed (an error it has no answer for; its traceback is printed)."""

from __future__ import annotations

import argparse
import csv
import errno
import os
import sys
import traceback
from pathlib import Path

import duckdb

from rich.console import Console
from rich.table import Table

from loaders.engine import LoaderError, LoadResult
from loaders.pseudonyms import MissingKeyError
from loaders.registry import UnknownPartnerError
from warehouse.gate import PublishRefused
from warehouse.lock import HubBusy, writer_lock
from warehouse.pipeline import Hub, QualityGateFailed, SettingError
from warehouse.quality import QualityReport
from warehouse.report_assets import ReportAssetsMissing
from warehouse.transform import ENVIRONMENT_FAILURES, TransformEnvironmentError, TransformError

OK, DATA_REFUSED, USAGE, FAILED = 0, 1, 2, 3
# What the machine, not the data or the command line, can refuse: one line and exit 2, whatever step met it.
ENVIRONMENT_ERRNOS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                      errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
                      errno.EPERM: "not permitted", errno.EISDIR: "a folder was given where a file is needed",
                      errno.ENOTDIR: "a file was given where a folder is needed"}
# Piped output (CI logs, `make demo | tee`) gets a readable width rather than rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 140)


def _say(label: str, message: str) -> None:
    """A refusal or stop as one unwrapped line, for the operator and for whatever reads the log."""
    console.print(f"[red]{label}:[/red] {message}", soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Python ends on an uncaught error with exit 1, the code that means "the data was refused": a script (or the
    benchmark, for which `hub check`'s 1 is the gate refusing) would read a crash as a judgement of the data."""
    try:
        return _command(argv)
    except Exception:
        traceback.print_exc()
        _say("Failed", "an error the hub has no answer for; the traceback above says where (exit 3, not a "
             "judgement of the data)")
        return FAILED


def _command(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return USAGE
    os.umask(0o077)  # what the hub writes is its own; published files get their mode explicitly (publish.py)
    try:
        hub = Hub.from_env()
        if args.command in READERS or (args.command is _area and not args.names):
            return args.command(hub, args)
        with writer_lock(hub.paths, f"hub {args.command.__name__.lstrip('_')}"):
            return args.command(hub, args)
    except HubBusy as error:
        _say("Busy", str(error))
        return USAGE
    except PublishRefused as error:
        _say("Not published", f"{error}; the published files were left as they were.")
        return DATA_REFUSED
    except LoaderError as error:
        console.print(f"[red]Refused:[/red] {error}")
        return DATA_REFUSED
    except csv.Error as error:  # a file the loader's own checks let through that Python's CSV reader cannot read
        _say("Refused", f"a delivered file is not readable CSV ({error}); nothing was loaded from it")
        return DATA_REFUSED
    except QualityGateFailed as error:
        _print_quality(error.report)
        console.print(f"[red]Not published:[/red] {error}")
        return DATA_REFUSED
    except (TransformEnvironmentError, ReportAssetsMissing) as error:
        _say("Stopped", str(error))
        return USAGE
    except TransformError as error:
        console.print(f"[red]dbt build failed:[/red] {error}")
        return DATA_REFUSED
    except FileNotFoundError as error:
        console.print(f"[red]Not found:[/red] {error}")
        return USAGE
    except OSError as error:
        if error.errno not in ENVIRONMENT_ERRNOS:
            raise
        where = f": {error.filename}" if error.filename else ""
        _say("Stopped", f"{ENVIRONMENT_ERRNOS[error.errno]}{where}")
        return USAGE
    except duckdb.Error as error:
        # DuckDB's word for a full disk, a read-only or locked file (an IO error, or a commit that could not write);
        # its first line names the file and the cause
        environmental = (duckdb.IOException, duckdb.PermissionException, duckdb.FatalException)
        if not (isinstance(error, environmental) or any(cause in str(error) for cause in ENVIRONMENT_FAILURES)):
            raise
        _say("Stopped", str(error).splitlines()[0])
        return USAGE
    except UnknownPartnerError as error:
        console.print(f"[red]Usage:[/red] {error.args[0]}")
        return USAGE
    except SettingError as error:
        _say("Usage", str(error))
        return USAGE
    except MissingKeyError as error:
        console.print(f"[red]Not started:[/red] {error}")
        return USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub",
        description="The partnership data hub: partner extracts -> DuckDB -> dbt marts -> quality gate -> published.",
        epilog="Working files live under $HUB_HOME (default: var/ in the repository).",
    )
    commands = parser.add_subparsers(metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="Load partner files (or every file under a folder) into raw.*",
                                 description="Load partner extracts. `hub ingest police FILE...` loads files "
                                             "for one partner; `hub ingest DIR` loads DIR/<partner>/*.")
    ingest.add_argument("partner_or_dir", help="a partner name (e.g. police), or a folder laid out as <partner>/files")
    ingest.add_argument("files", nargs="*", type=Path, help="the partner's files")
    ingest.add_argument("--reload", action="store_true",
                        help="load files again even if their bytes were loaded before (say, to make an older "
                             "delivery live again); audit.loads records each such reload")
    ingest.set_defaults(command=_ingest)

    for name, handler, text in (
        ("check", _check, "Run every expectation suite, write Data Docs and audit.dq_results."),
        ("run", _run, "Ingest incoming files, build, check, and publish only if no critical expectation failed."),
        ("status", _status, "Show what has been loaded, checked and published."),
    ):
        commands.add_parser(name, help=text, description=text).set_defaults(command=handler)

    build = commands.add_parser("build", help="Build every dbt model, seed and test (dbt build).",
                                description="Build every dbt model, seed and test (dbt build). The facts are "
                                            "recomputed only for the months new loads touched, unless the dbt "
                                            "project or the postcode directory changed since the last build.")
    build.add_argument("--full-refresh", action="store_true", help="rebuild every table whole")
    build.set_defaults(command=_build)

    publish = commands.add_parser("publish", help="Publish the working database atomically, with every mart as Parquet.",
                                  description="Publish the working database atomically, with every mart as Parquet "
                                              "and the browsable catalogue.")
    publish.add_argument("--open", dest="open_data", action="store_true",
                         help="also write the open-data set (ward and district counts and rates, small numbers "
                              "suppressed) as CSV and Parquet to published/open/")
    publish.set_defaults(command=_publish)

    demo = commands.add_parser("demo", help="Generate a realistic demo data set and run the whole pipeline on it.",
                               description="Generate three financial years of every partner's feeds, in their own formats, for "
                                           "all ten districts, add the real GMP extract, the real Trafford postcode "
                                           "directory and TfGM casualty table, then ingest, build, check, publish.")
    demo.add_argument("--scale", type=float, default=1.0, help="volume relative to Greater Manchester (default 1.0)")
    demo.set_defaults(command=_demo)

    reference = commands.add_parser("reference", help="Public reference data: `hub reference fetch`.",
                                    description="The public reference files the hub reads (reference/manifest.toml).")
    reference_commands = reference.add_subparsers(metavar="ACTION", required=True)
    fetch = reference_commands.add_parser(
        "fetch", help="Download, verify and store the reference files under $HUB_HOME/reference.",
        description="Download each file of reference/manifest.toml from its public source (or a mirror), verify its "
                    "size and SHA-256, and store it under $HUB_HOME/reference; a download cut short is resumed.")
    fetch.add_argument("--mirror", help="a URL holding the reference directory's layout, used instead of the sources")
    fetch.add_argument("paths", nargs="*", help="only these manifest paths (default: every file)")
    fetch.set_defaults(command=_reference_fetch)

    area = commands.add_parser(
        "area", help="Show the partnership area, or choose one: `hub area Cleveland`.",
        description="With no name, show the area the hub serves (Greater Manchester by default). With names or codes "
                    "of police force areas, community safety partnerships or districts (the national lookups), "
                    "choose the area: its wards, districts, populations, KPI levels, packs and open data follow at "
                    "the next hub build, which rebuilds every table.")
    area.add_argument("names", nargs="*", help="e.g. Cleveland, E23000013, 'Stockton-on-Tees', or several districts")
    area.set_defaults(command=_area)

    pack = commands.add_parser("pack", help="Write one district's performance pack as a self-contained HTML file.",
                               description="Write a district's community safety performance pack (KPIs with RAG, "
                                           "trends, ward league table, tactical exceptions, partner data quality) "
                                           "from the published database to published/packs/, as one HTML file that "
                                           "opens offline.")
    pack.add_argument("district", help="a district's name (e.g. trafford) or code (e.g. E08000009)")
    pack.add_argument("--period", default="FY",
                      help="FY (the latest financial year, default), month (the latest month), or a label such as "
                           "2016/17 or 2017-03")
    pack.set_defaults(command=_pack)
    return parser


def _ingest(hub: Hub, args: argparse.Namespace) -> int:
    target = Path(args.partner_or_dir)
    if not args.files:
        if not target.is_dir():
            raise FileNotFoundError(f"{target} is not a folder; to load files name the partner: hub ingest police FILE...")
        results = hub.ingest_from(target, show_progress=True, reload=args.reload)
    else:
        results = hub.ingest(args.partner_or_dir, *args.files, show_progress=True, reload=args.reload)
    _print_loads(results)
    return OK


def _build(hub: Hub, args: argparse.Namespace) -> int:
    plan = hub.build(full_refresh=args.full_refresh)
    scope = "every table rebuilt whole" if plan.full_refresh else "facts recomputed"
    console.print(f"dbt build finished ({scope}: {plan.reason}): every model built and every dbt test passed.")
    return OK


def _check(hub: Hub, args: argparse.Namespace) -> int:
    report = hub.check()
    _print_quality(report)
    return OK if report.passed else DATA_REFUSED


def _publish(hub: Hub, args: argparse.Namespace) -> int:
    result = hub.publish(open_data=args.open_data)
    console.print(f"Published {result.database}, {len(result.marts)} marts as Parquet in {result.parquet_dir}, "
                  f"and the catalogue {result.catalogue}")
    if result.open_data_dir:
        console.print(f"Open data: {', '.join(result.open_tables)} as CSV and Parquet in {result.open_data_dir}")
    return OK


def _run(hub: Hub, args: argparse.Namespace) -> int:
    outcome = hub.run(show_progress=True, say=console.print)
    _print_loads(outcome.loads)
    _print_quality(outcome.quality)
    console.print(f"Published {outcome.published.database}")
    return OK


def _status(hub: Hub, args: argparse.Namespace) -> int:
    from warehouse.status import describe

    for table in describe(hub.paths):
        console.print(table)
    return OK


def _demo(hub: Hub, args: argparse.Namespace) -> int:
    from demo.run import run_demo

    run_demo(hub, scale=args.scale, console=console)
    return OK


def _reference_fetch(hub: Hub, args: argparse.Namespace) -> int:
    from warehouse.reference_fetch import FetchError, ReferenceUnreachable, fetch_reference

    try:
        fetched = fetch_reference(hub.paths, mirror=args.mirror, only=tuple(args.paths))
    except ReferenceUnreachable as error:
        console.print(f"[red]Not fetched:[/red] {error}")
        return USAGE
    except FetchError as error:
        console.print(f"[red]Refused:[/red] {error}")
        return DATA_REFUSED
    for item in fetched:
        console.print(f"{item.status:>16}  {item.path}")
    return OK


def _area(hub: Hub, args: argparse.Namespace) -> int:
    from warehouse.area import UnknownArea, choose_area, current_area, describe_area

    if args.names:
        before = current_area(hub.paths)
        try:
            area = choose_area(hub.paths, args.names)
        except UnknownArea as error:
            console.print(f"[red]Usage:[/red] {error}", soft_wrap=True)
            return USAGE
        if area != before and hub.paths.working_db.exists():
            console.print(f"The area changed from {before.name}: the next `hub build` rebuilds every table for "
                          f"{area.name}; what is published stays {before.name}'s until `hub publish`.",
                          soft_wrap=True)
    else:
        area = current_area(hub.paths)
    for line in describe_area(area, hub.paths):
        console.print(line, soft_wrap=True, markup=False)
    return OK


def _pack(hub: Hub, args: argparse.Namespace) -> int:
    from warehouse.pack import PackUsageError, write_pack
    from warehouse.publish import grant_readers

    try:
        path = write_pack(hub.paths, args.district, args.period)
    except PackUsageError as error:
        console.print(f"[red]Usage:[/red] {error}")
        return USAGE
    grant_readers(path.parent)  # packs are read by whoever may read the published files
    # Plain print: the path on a line of its own, unwrapped, for scripts and for a reader to copy.
    print(path)
    return OK


# The commands that only read (the published database, or the working one read-only) take no lock.
READERS = (_status, _pack)


def _print_loads(results: list[LoadResult]) -> None:
    """The files by feed and outcome, then each file that needs a look: one with rows rejected, or kept out. A
    folder of a thousand files is a thousand rows otherwise, and the few that matter are lost among them."""
    by_feed: dict[tuple[str, str, str], list[LoadResult]] = {}
    for r in results:
        by_feed.setdefault((r.partner, r.feed, r.status), []).append(r)
    table = Table(title="Loads by feed")
    for column in ("partner/feed", "status", "files", "read", "loaded", "rejected", "first period", "last period"):
        table.add_column(column)
    for (partner, feed, status), loads in by_feed.items():
        periods = [period for r in loads for period in r.periods]
        table.add_row(f"{partner}/{feed}", status, f"{len(loads):,}", f"{sum(r.rows_read for r in loads):,}",
                      f"{sum(r.rows_loaded for r in loads):,}", f"{sum(r.rows_rejected for r in loads):,}",
                      min(periods, default=""), max(periods, default=""))
    console.print(table)
    to_look_at = [r for r in results if r.rows_rejected or r.status == "superseded"]
    if to_look_at:
        table = Table(title="Files with rows rejected or kept out (audit.rejects and audit.loads say why)")
        for column in ("load", "file", "partner/feed", "periods", "read", "loaded", "rejected", "status"):
            table.add_column(column)
        for r in to_look_at:
            table.add_row(str(r.load_id), r.file_name, f"{r.partner}/{r.feed}", ",".join(r.periods),
                          f"{r.rows_read:,}", f"{r.rows_loaded:,}", f"{r.rows_rejected:,}", r.status)
        console.print(table)


def _print_quality(report: QualityReport) -> None:
    table = Table(title="Data quality")
    for column in ("suite", "expectation", "column", "severity", "result", "unexpected"):
        table.add_column(column)
    for r in report.results:
        mark = "[green]pass[/green]" if r.success else ("[red]FAIL[/red]" if r.severity == "critical" else "[yellow]warn[/yellow]")
        table.add_row(r.suite, r.expectation_type, r.column or "", r.severity, mark,
                      "" if r.unexpected_count is None else f"{r.unexpected_count:,}")
    console.print(table)
    console.print(f"Data Docs: {report.data_docs_index}")


if __name__ == "__main__":
    sys.exit(main())
