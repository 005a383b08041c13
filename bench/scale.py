"""The benchmark's data: every partner feed in its real format, ten financial years of Greater Manchester, sized by
the number of incidents wanted.

The demo's generators write it (demo.data and demo.partners) over ten financial years, April
2011 to March 2021, rather than the demo's three. Not April 2008 to March 2018, which would end where the demo's
story does: police.uk's street-level data begins in December 2010, and the street suite's critical expectation
refuses any earlier month, so that span fails the quality gate. The demo's fixed dates all fall inside this one: the
late months (July 2016, October 2017), the corrected re-deliveries (September 2016, February 2017), police.uk's new
stop-and-search outcome wording (2018), and TfGM's real accidents (2010-2021), which the STATS19 collisions re-place.
Deliveries are judged as at the end of April 2021. Unlike the demo, every month's street file is generated: the real
GMP extract (December 2016) is no benchmark data.

The last month is held back in a folder of its own, so the incremental benchmark can load it on top of the rest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import duckdb

from demo.data import generate, month_list, read_lsoas
from demo.partners import generate_partner_feeds
from demo.places import days_in
from demo.run import OA11_LOOKUP

FIRST_MONTH = date(2011, 4, 1)
MONTHS = 120
SEED = 2016
# Incidents (rows of the eight event feeds, what marts.fct_incidents holds) per unit of the demo's `scale` and per
# month, over the 120 months above. `python -m bench.scale --measure 0.02 0.05` counted 212,304 and 529,441
# incidents: 10.57M per unit scale (88,090 a month) plus ~900 that small scales add (every monthly file has at least
# five rows). So incidents = 88,090 x scale x months: 1M incidents is scale 0.095, 10M scale 0.95. Over other
# calendars this is approximate: the demo's trends make later months busier.
INCIDENTS_PER_SCALE_MONTH = 88_090
# Feeds that are not events: the probation caseload (people at a month end), the postcode directory, and TfGM's
# casualty table (the real one, copied in whole).
NOT_INCIDENTS = ("probation", "reference", "tfgm_STATS19Cas")
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BenchData:
    """Generated feeds for one size: incoming/ holds every month but the last, held_back/ the last month's files,
    both laid out as <partner>/... for `hub ingest DIR`."""
    folder: Path
    incidents_asked: int
    first_month: date
    months: int
    seed: int
    scale: float
    incidents: int              # counted in the files written, the held-back month included
    files: int
    generated_seconds: float

    def same_as(self, other: "BenchData") -> bool:
        """The same data: the same size, calendar and seed."""
        key = lambda d: (d.incidents_asked, d.first_month, d.months, d.seed)  # noqa: E731
        return key(self) == key(other)

    def manifest(self) -> str:
        fields = {name: value for name, value in asdict(self).items() if name != "folder"}
        return json.dumps({**fields, "first_month": self.first_month.isoformat()}, indent=2) + "\n"

    @classmethod
    def from_manifest(cls, folder: Path) -> "BenchData":
        fields = json.loads((folder / MANIFEST).read_text())
        return cls(folder, **{**fields, "first_month": date.fromisoformat(fields["first_month"])})

    @property
    def incoming(self) -> Path:
        return self.folder / "incoming"

    @property
    def held_back(self) -> Path:
        return self.folder / "held_back"

    @property
    def last_month(self) -> date:
        return month_list(self.first_month, self.months)[-1]

    @property
    def as_at(self) -> date:
        return judged_as_at(self.last_month)


def judged_as_at(last_month: date) -> date:
    """When deliveries are judged: the end of the month after the last, when its files are in (as the demo's
    30 April 2018 follows March 2018)."""
    month_after = last_month + timedelta(days=days_in(last_month))
    return month_after + timedelta(days=days_in(month_after) - 1)


def scale_for(incidents: int, months: int = MONTHS) -> float:
    return incidents / (INCIDENTS_PER_SCALE_MONTH * months)


def prepare(folder: Path, incidents: int, *, first_month: date = FIRST_MONTH, months: int = MONTHS,
            seed: int = SEED) -> BenchData:
    """The feeds for `incidents` in `folder`: generated once, then reused while the manifest says they are the same
    size, calendar and seed (10M incidents take a while to write)."""
    wanted = BenchData(folder, incidents, first_month, months, seed, scale_for(incidents, months), 0, 0, 0.0)
    if (folder / MANIFEST).exists() and (made := BenchData.from_manifest(folder)).same_as(wanted):
        return made
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    calendar = month_list(first_month, months)
    incoming = folder / "incoming"
    street = generate(read_lsoas(OA11_LOOKUP), incoming / "police" / "demo", scale=wanted.scale, seed=seed,
                      months=calendar, real_extract_month=None)
    files = street + generate_partner_feeds(incoming, street, scale=wanted.scale, seed=seed, months=calendar)
    data = replace(wanted, incidents=count_incidents(files), files=len(files),
                   generated_seconds=time.perf_counter() - started)
    _hold_back(data)
    (folder / MANIFEST).write_text(data.manifest())  # last: a folder without one is regenerated
    return data


def _hold_back(data: BenchData) -> None:
    """Move the last month's monthly files (one per monthly feed) to held_back/, in the same layout. A yearly
    STATS19 file that reaches into the last month stays: it was delivered with the rest."""
    prefix = f"{data.last_month:%Y-%m}-"
    for path in sorted(data.incoming.rglob(f"{prefix}*")):
        target = data.held_back / path.relative_to(data.incoming)
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)  # a rename keeps the mtime, which is the file's delivery time


def count_incidents(files: list[Path]) -> int:
    """Rows of the event feeds' files; a corrected re-delivery counts instead of the delivery it replaces."""
    corrected = {f.name.replace("-corrected", "") for f in files if f.name.endswith("-corrected.csv")}
    events = [f for f in files if not any(part.startswith(NOT_INCIDENTS) for part in f.parts)
              and not (f.name in corrected and not f.name.endswith("-corrected.csv"))]
    con = duckdb.connect()
    try:
        return sum(con.execute("select count(*) from read_csv(?, all_varchar = true, header = true)",
                               [str(f)]).fetchone()[0] for f in events)
    finally:
        con.close()


def _measure(scales: list[float]) -> None:
    """Incidents per unit scale per month over the benchmark calendar, at the given (small) scales."""
    lsoas = read_lsoas(OA11_LOOKUP)
    calendar = month_list(FIRST_MONTH, MONTHS)
    for scale in scales:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            incoming = Path(tmp) / "incoming"
            street = generate(lsoas, incoming / "police" / "demo", scale=scale, months=calendar,
                              real_extract_month=None)
            files = street + generate_partner_feeds(incoming, street, scale=scale, months=calendar)
            seconds = time.perf_counter() - started
            incidents = count_incidents(files)
            print(f"scale {scale}: {incidents:,} incidents in {len(files)} files, written in {seconds:.1f} s; "
                  f"{incidents / scale / MONTHS:,.0f} per unit scale per month")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", type=float, nargs="+", metavar="SCALE",
                        help="generate at these small scales and print incidents per unit scale per month")
    parser.add_argument("--incidents", type=int, help="generate the feeds for this many incidents into --folder")
    parser.add_argument("--folder", type=Path, help="where to write them")
    args = parser.parse_args(argv)
    if args.measure:
        _measure(args.measure)
    elif args.incidents and args.folder:
        print(prepare(args.folder, args.incidents))
    else:
        parser.error("give --measure SCALE..., or --incidents N and --folder DIR")


if __name__ == "__main__":
    main()
