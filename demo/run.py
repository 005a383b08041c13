"""`hub demo`: generate the demo data set, add the real GMP extract, run the whole pipeline, say where to look."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from rich.console import Console

from demo.data import generate, read_lsoas
from demo.partners import generate_partner_feeds
from demo.places import GEOGRAPHY
from loaders.pseudonyms import KEY_FILE_ENV, create_key_file
from warehouse.paths import PROJECT_DIR
from warehouse.pipeline import AS_AT_ENV, Hub
from warehouse.status import describe

OA11_LOOKUP = GEOGRAPHY / "gm_oa11_lsoa11_msoa11_lad11_lookup.csv"
# The demo's story happens in spring 2018: the real December 2016 file arrives when police.uk published it.
DEMO_AS_AT = date(2018, 4, 30)
REAL_EXTRACT_DELIVERED = datetime(2017, 1, 19, 9, 30)
# Another force's real file of the demo's years, for a newcomer's first `hub run` after the demo.
AVON_EXTRACT = "../shared/data/real/police_street/2016-11-avon-and-somerset-street.csv"
REAL_GMP_EXTRACT = PROJECT_DIR.parent / "shared" / "data" / "real" / "police_street" / "2016-12-greater-manchester-street_partial.csv"


def run_demo(hub: Hub, *, scale: float, console: Console) -> None:
    started = time.perf_counter()
    key_file = hub.paths.home / "demo-pseudonym.key"
    if not key_file.exists():
        create_key_file(key_file)  # the demo's own key: demo data is never real, and its key is never a real one
    hub = replace(hub, as_at=DEMO_AS_AT, key_file=key_file)
    police_dir = hub.paths.incoming / "police"
    console.print(f"Generating police.uk street-level demo files for all ten districts into {police_dir} ...")
    files = generate(read_lsoas(OA11_LOOKUP), police_dir / "demo", scale=scale)
    console.print(f"  {len(files)} monthly files, April 2015 - March 2018 (December 2016 comes from the real extract)")
    console.print("Generating every other partner's feeds in their own formats (fire, ambulance, probation, transport, "
                  "police stop and search and recorded crime, the postcode directory) ...")
    others = generate_partner_feeds(hub.paths.incoming, files, scale=scale)
    console.print(f"  {len(others)} files, with the real Trafford postcode directory and TfGM casualty table")
    if REAL_GMP_EXTRACT.exists():
        copy = police_dir / REAL_GMP_EXTRACT.name
        shutil.copyfile(REAL_GMP_EXTRACT, copy)
        os.utime(copy, (REAL_EXTRACT_DELIVERED.timestamp(),) * 2)
        console.print(f"  added the real GMP extract {REAL_GMP_EXTRACT.name} (December 2016, Bolton only, as published)")
    else:
        console.print(f"  [yellow]the real GMP extract was not found at {REAL_GMP_EXTRACT}; the demo runs without it[/yellow]")

    outcome = hub.run(show_progress=True, say=console.print, open_data=True)
    rejected = sum(r.rows_rejected for r in outcome.loads)
    console.print(f"Loaded {sum(r.rows_loaded for r in outcome.loads):,} rows from {len(outcome.loads)} files "
                  f"({rejected:,} rejected, see audit.rejects); quality gate passed with "
                  f"{len(outcome.quality.warning_failures)} warning(s).")
    for table in describe(hub.paths):
        console.print(table)
    console.print(
        f"\nDone in {time.perf_counter() - started:.0f} s. Where to look:\n"
        f"  published database  {outcome.published.database}   (read-only: duckdb -readonly {outcome.published.database})\n"
        f"  Parquet marts       {outcome.published.parquet_dir}\n"
        f"  Catalogue (dbt)     {outcome.published.catalogue}\n"
        f"  Open data (public)  {outcome.published.open_data_dir}   (small numbers suppressed; README.md)\n"
        f"  Data Docs           {outcome.quality.data_docs_index}\n"
        f"  try                 select * from marts.fct_district_month order by incident_count desc limit 10;"
    )
    console.print("\nTo go on with the demo (its home, its own pseudonym key and its date; a real hub refuses to start "
                  "without the partnership's key), paste this line into your shell:")
    console.print(f"  {go_on_line(hub)}", soft_wrap=True, markup=False, highlight=False)
    console.print("then, for example (README: Quickstart):\n"
                  "  hub status\n"
                  f"  cp {AVON_EXTRACT} \"$HUB_HOME/incoming/police/\" && hub run\n"
                  "  duckdb -readonly \"$HUB_HOME/published/hub.duckdb\"", soft_wrap=True, markup=False, highlight=False)


def go_on_line(hub: Hub) -> str:
    """One shell line that points `hub` at the demo: its home, its key, its as-at date and the `hub` command."""
    settings = {"HUB_HOME": hub.paths.home, KEY_FILE_ENV: hub.key_file, AS_AT_ENV: hub.as_at.isoformat()}
    assignments = " ".join(f"{name}={shlex.quote(str(value))}" for name, value in settings.items())
    return f'export {assignments} PATH={shlex.quote(str(Path(sys.executable).parent))}:"$PATH"'
