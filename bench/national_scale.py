"""The national benchmark's data: police.uk street-level files for every police force of England and Wales, one file
per force and month from December 2010 (police.uk's first month), in data.police.uk's layout and format, until the
rows asked for are written.

What is real: the 43 forces, their police.uk names and file names, and the 2011 LSOAs (codes and names) each force's
files name, from the national lookups (LSOA 2011 -> LSOA 2021 -> 2024 district -> police force area) and the hub's
seed of police.uk's force names. Each LSOA's share of the crime is its mid-2020 population (ONS) times a
neighbourhood factor; the crime types' shares, seasons and yearly trends, the outcomes and the places are the demo's
(demo.data), under police.uk's names of the time (before May 2013, violent crime and public disorder and
weapons). The national volume is of the order police.uk publishes for England and Wales: 450,000 crimes and
anti-social behaviour incidents a month (NATIONAL_MONTHLY_ROWS) before each type's season and yearly trend
(violence rising 12% a year), which make 428,000 rows in December 2010 and 659,000 in December 2019. A larger data
set is more months at that volume, as a hub's history grows: 10M rows run to September 2012, 70M to February 2021.

Where crimes are placed: police.uk publishes each crime at one of a limited set of anonymised map points, each on or
near a street, so a place recurs; here each LSOA has SNAP_POINTS_PER_LSOA of them (the demo's number) around a
point drawn for it, each with its street, and every crime in the LSOA is at one of them. What is not real: no
national file of LSOA centroids is in the reference data, so an LSOA's point is drawn inside England and Wales's
bounding box; Greater Manchester Police's LSOAs draw theirs inside Greater Manchester's, which the police street
suite checks.

DuckDB writes the rows, a month at a time, one file per force (`python -m bench.national_scale --rows N --folder
DIR`); the files go to DIR/incoming/police/YYYY-MM/YYYY-MM-<force>-street.csv, each dated (its mtime) when police.uk
would have published it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass
from functools import partial
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from demo.data import (CRIME_TYPES, NO_LOCATION_SHARE, OUTCOMES, POLICE_UK_HEADER, SNAP_POINTS_PER_LSOA, STREETS,
                       delivery_time, month_list)
from loaders.reference_data import reference_file
from warehouse.area import DISTRICT_LOOKUP, POLICE_UK_FORCES, WARD_LOOKUP

FIRST_MONTH = date(2010, 12, 1)
NATIONAL_MONTHLY_ROWS = 450_000
SEED = 2010
LSOA11_LOOKUP = "geography/ew_lsoa11_lsoa21_lad22_lookup.csv"
POPULATION = "population/ew_lsoa11_mid2020_broad_ages.csv"
GREATER_MANCHESTER_POLICE = "Greater Manchester Police"
# (west, east, south, north) in degrees
ENGLAND_AND_WALES_BOX = (-5.2, 1.7, 50.1, 55.7)
GREATER_MANCHESTER_BOX = (-2.70, -1.95, 53.35, 53.67)
POINT_SPREAD = 0.004        # degrees from an LSOA's point to its snap points, at most
# police.uk's names before May 2013, when violent crime became violence and sexual offences and public disorder and
# weapons was split in two (the category map seed knows both eras).
RENAMED_IN = date(2013, 5, 1)
EARLIER_NAMES = {"Violence and sexual offences": "Violent crime", "Public order": "Public disorder and weapons",
                 "Possession of weapons": "Public disorder and weapons"}
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class NationalData:
    """Generated street files for one size, under folder/incoming/police."""
    folder: Path
    rows_asked: int
    monthly_rows: int
    seed: int
    rows: int           # written, across every file
    files: int
    forces: int
    first_month: date
    last_month: date
    month_rows: tuple[int, ...]     # rows of each month from the first
    generated_seconds: float

    @property
    def incoming(self) -> Path:
        return self.folder / "incoming"

    def same_as(self, rows: int, monthly_rows: int, seed: int) -> bool:
        return (self.rows_asked, self.monthly_rows, self.seed) == (rows, monthly_rows, seed)

    def manifest(self) -> str:
        fields = {name: value for name, value in asdict(self).items() if name != "folder"}
        return json.dumps({**fields, "first_month": self.first_month.isoformat(),
                           "last_month": self.last_month.isoformat()}, indent=2) + "\n"

    @classmethod
    def from_manifest(cls, folder: Path) -> "NationalData":
        fields = json.loads((folder / MANIFEST).read_text())
        return cls(folder, **{**fields, "first_month": date.fromisoformat(fields["first_month"]),
                              "last_month": date.fromisoformat(fields["last_month"]),
                              "month_rows": tuple(fields["month_rows"])})

    def months_for(self, rows: int) -> int | None:
        """How many of this data's first months hold at least `rows` rows (None: fewer rows in all of it)."""
        total = 0
        for months, month_rows in enumerate(self.month_rows, 1):
            total += month_rows
            if total >= rows:
                return months
        return None


def prepare(folder: Path, rows: int, *, monthly_rows: int = NATIONAL_MONTHLY_ROWS, seed: int = SEED,
            home: Path | None = None, within: NationalData | None = None) -> NationalData:
    """The street files for at least `rows` rows in `folder`: written once, then reused while the manifest says
    they are the same size, volume and seed. Given larger data of the same volume and seed (`within`), its first
    months are what would be written: they are hard-linked instead (no copy: 70M rows are ~17 GB)."""
    if (folder / MANIFEST).exists() and (made := NationalData.from_manifest(folder)).same_as(rows, monthly_rows, seed):
        return made
    if folder.exists():
        shutil.rmtree(folder)
    if within is not None and within.same_as(within.rows_asked, monthly_rows, seed) and within.months_for(rows):
        return _linked(folder, rows, within)
    started = time.perf_counter()
    con = duckdb.connect()
    try:
        _register_lsoas(con, national_lsoas(home), seed)
        _register_crime_types(con)
        files, forces, months, month_rows = 0, set(), [], []
        rng = np.random.default_rng(seed)
        for index, month in enumerate(month_list(FIRST_MONTH, 12 * 100)):
            if sum(month_rows) >= rows:
                break
            written, month_files = _write_month(con, folder / "incoming" / "police", month, index, monthly_rows,
                                                seed, rng)
            month_rows.append(written)
            files += len(month_files)
            forces |= {force for force, _ in month_files}
            months.append(month)
    finally:
        con.close()
    data = NationalData(folder, rows, monthly_rows, seed, sum(month_rows), files, len(forces), months[0],
                        months[-1], tuple(month_rows), time.perf_counter() - started)
    (folder / MANIFEST).write_text(data.manifest())  # last: a folder without one is written again
    return data


def _linked(folder: Path, rows: int, within: NationalData) -> NationalData:
    started = time.perf_counter()
    months = month_list(within.first_month, within.months_for(rows))
    files = 0
    for month in months:
        source = within.incoming / "police" / f"{month:%Y-%m}"
        target = folder / "incoming" / "police" / source.name
        target.mkdir(parents=True)
        for path in sorted(source.iterdir()):
            os.link(path, target / path.name)   # the same file: its mtime, the delivery time, too
            files += 1
    month_rows = within.month_rows[:len(months)]
    data = NationalData(folder, rows, within.monthly_rows, within.seed, sum(month_rows), files, within.forces,
                        months[0], months[-1], month_rows, time.perf_counter() - started)
    (folder / MANIFEST).write_text(data.manifest())
    return data


def national_lsoas(home: Path | None = None) -> pd.DataFrame:
    """Every 2011 LSOA of England and Wales with its name, its force (police.uk's name) and its mid-2020 population:
    the LSOA's 2021 best fit, that LSOA's 2024 district, the district's police force area."""
    con = duckdb.connect()
    try:
        paths = {name: str(reference_file(relative, home)) for name, relative in (
            ("lsoa11", LSOA11_LOOKUP), ("wards", WARD_LOOKUP), ("districts", DISTRICT_LOOKUP),
            ("population", POPULATION))}
        return con.execute(f"""
            select
                lsoa11."LSOA11CD" as lsoa_code,
                lsoa11."LSOA11NM" as lsoa_name,
                forces.police_uk_force as force,
                cast(replace(population."All Ages", ',', '') as integer) as population
            from read_csv(?, all_varchar = true) as lsoa11
            inner join (select distinct lsoa21_code, ltla24_code from read_csv(?, all_varchar = true)) as wards
                on wards.lsoa21_code = lsoa11."LSOA21CD"
            inner join read_csv(?, all_varchar = true) as districts on districts.ltla24_code = wards.ltla24_code
            inner join read_csv(?, all_varchar = true) as forces
                on forces.police_force_area_code = districts.pfa24_code
            inner join read_csv(?, all_varchar = true) as population on population."LSOA Code" = lsoa11."LSOA11CD"
            -- a 2011 LSOA split in 2021 has a row for each part: one LSOA, one force, one draw of its points
            qualify row_number() over (partition by lsoa11."LSOA11CD" order by lsoa11."LSOA21CD") = 1
            order by lsoa_code
        """, [paths["lsoa11"], paths["wards"], paths["districts"], str(POLICE_UK_FORCES),
              paths["population"]]).df()
    finally:
        con.close()


def file_name(force: str) -> str:
    """police.uk's name for a force's files: 'Greater Manchester Police' -> 'greater-manchester',
    'Metropolitan Police Service' -> 'metropolitan', 'Dyfed-Powys Police' -> 'dyfed-powys'."""
    words = re.sub(r"\b(Police Service|Constabulary|Police)\b", "", force).strip()
    return re.sub(r"[^a-z]+", "-", words.lower()).strip("-")


def _register_lsoas(con: duckdb.DuckDBPyConnection, lsoas: pd.DataFrame, seed: int) -> None:
    """Each LSOA's share of the national volume and its point."""
    rng = np.random.default_rng(seed)
    weight = lsoas["population"].to_numpy() * rng.lognormal(0.0, 0.65, size=len(lsoas))
    is_gm = (lsoas["force"] == GREATER_MANCHESTER_POLICE).to_numpy()
    boxes = np.where(is_gm[:, None], GREATER_MANCHESTER_BOX, ENGLAND_AND_WALES_BOX)
    draw = rng.random((len(lsoas), 2))
    frame = lsoas.assign(
        share=weight / weight.sum(),
        longitude=boxes[:, 0] + draw[:, 0] * (boxes[:, 1] - boxes[:, 0]),
        latitude=boxes[:, 2] + draw[:, 1] * (boxes[:, 3] - boxes[:, 2]),
        file_force=[file_name(force) for force in lsoas["force"]])
    con.register("lsoa_frame", frame)
    con.execute("create table lsoas as select * from lsoa_frame")
    con.unregister("lsoa_frame")


def _register_crime_types(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table crime_types (crime_type varchar, share double, amplitude double, peak integer, "
                "trend double)")
    con.executemany("insert into crime_types values (?, ?, ?, ?, ?)", [list(row) for row in CRIME_TYPES])


def _write_month(con: duckdb.DuckDBPyConnection, police: Path, month: date, index: int, monthly_rows: int,
                 seed: int, rng: np.random.Generator) -> tuple[int, list[tuple[str, Path]]]:
    """One month's files, one per force; (rows written, [(force, file)])."""
    staging = police / f".{month:%Y-%m}"
    police.mkdir(parents=True, exist_ok=True)
    uniform = partial(_uniform, seed, f"'{month:%Y-%m}'")
    fixed = partial(_uniform, seed)     # the same every month: an LSOA's snap points and their streets
    (rows,) = con.execute(f"""
        copy (
            with cells as (
                select
                    lsoas.*,
                    crime_types.crime_type,
                    {monthly_rows} * lsoas.share * crime_types.share
                        * (1 + crime_types.amplitude * cos(2 * pi() * ({month.month} - crime_types.peak) / 12))
                        * pow(1 + crime_types.trend, {index} / 12) as expected
                from lsoas cross join crime_types
            ),
            counted as (
                select *, cast(floor(expected + {uniform("'count'", "lsoa_code", "crime_type")}) as integer) as n
                from cells
            ),
            incidents as (
                select * exclude (n), unnest(range(n)) as position from counted where n > 0
            ),
            drawn as (
                select
                    *,
                    {uniform("'place'", "lsoa_code", "crime_type", "position")} as place_draw,
                    {uniform("'outcome'", "lsoa_code", "crime_type", "position")} as outcome_draw,
                    cast(floor({uniform("'snap'", "lsoa_code", "crime_type", "position")} * {SNAP_POINTS_PER_LSOA})
                        as integer) as snap_point
                from incidents
            ),
            snapped as (
                select
                    *,
                    {fixed("'street'", "lsoa_code", "snap_point")} as street_draw,
                    {fixed("'east'", "lsoa_code", "snap_point")} - 0.5 as east_draw,
                    {fixed("'north'", "lsoa_code", "snap_point")} - 0.5 as north_draw
                from drawn
            )
            select
                file_force,
                case when crime_type <> 'Anti-social behaviour'
                    then sha256(concat_ws('-', '{month:%Y-%m}', lsoa_code, crime_type, position)) end as "Crime ID",
                '{month:%Y-%m}' as "Month",
                force as "Reported by",
                force as "Falls within",
                case when place_draw >= {NO_LOCATION_SHARE}
                    then printf('%.6f', longitude + 2 * {POINT_SPREAD} * east_draw) end as "Longitude",
                case when place_draw >= {NO_LOCATION_SHARE}
                    then printf('%.6f', latitude + 2 * {POINT_SPREAD} * north_draw) end as "Latitude",
                case when place_draw >= {NO_LOCATION_SHARE}
                    then 'On or near ' || {_pick(STREETS, "street_draw")} else 'No Location' end as "Location",
                case when place_draw >= {NO_LOCATION_SHARE} then lsoa_code end as "LSOA code",
                case when place_draw >= {NO_LOCATION_SHARE} then lsoa_name end as "LSOA name",
                {_crime_type_of(month)} as "Crime type",
                case when crime_type <> 'Anti-social behaviour'
                    then {_pick_weighted(OUTCOMES, "outcome_draw")} end as "Last outcome category",
                cast(null as varchar) as "Context"
            from snapped
        ) to '{staging}' (format csv, header true, partition_by (file_force))
    """).fetchone()
    month_dir = police / f"{month:%Y-%m}"
    month_dir.mkdir(parents=True, exist_ok=True)
    files = []
    delivered = delivery_time(month, rng).timestamp()
    for written in sorted(staging.glob("file_force=*/*.csv")):
        force_name = written.parent.name.removeprefix("file_force=")
        target = month_dir / f"{month:%Y-%m}-{force_name}-street.csv"
        written.rename(target)
        os.utime(target, (delivered, delivered))
        with target.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            if tuple(header) != POLICE_UK_HEADER:
                raise ValueError(f"{target}: header {header} is not police.uk's")
            force = next(reader)[POLICE_UK_HEADER.index("Falls within")]
        files.append((force, target))
    shutil.rmtree(staging)
    return rows, files


def _crime_type_of(month: date) -> str:
    if month >= RENAMED_IN:
        return "crime_type"
    renamed = " ".join(f"when '{current}' then '{earlier}'" for current, earlier in EARLIER_NAMES.items())
    return f"case crime_type {renamed} else crime_type end"


def _uniform(seed: int, *parts: str) -> str:
    """A number in [0, 1) fixed by the seed and the parts (SQL expressions): the same data every run, whatever
    DuckDB's threads."""
    return f"(hash({', '.join(parts)}, {seed}) % 1000000007) / 1000000007.0"


def _pick(values: tuple[str, ...], draw: str) -> str:
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"[{quoted}][1 + cast(floor({draw} * {len(values)}) as integer)]"


def _pick_weighted(choices: tuple[tuple[str, float], ...], draw: str) -> str:
    total = sum(weight for _, weight in choices)
    branches, cumulative = [], 0.0
    for value, weight in choices[:-1]:
        cumulative += weight / total
        branches.append(f"when {draw} < {cumulative:.6f} then '{value}'")
    return f"case {' '.join(branches)} else '{choices[-1][0]}' end"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.national_scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True, help="street-level rows wanted (whole months are written)")
    parser.add_argument("--folder", type=Path, required=True, help="where to write them")
    parser.add_argument("--monthly-rows", type=int, default=NATIONAL_MONTHLY_ROWS,
                        help=f"England and Wales's rows a month before season and trend (default "
                             f"{NATIONAL_MONTHLY_ROWS:,})")
    args = parser.parse_args(argv)
    print(prepare(args.folder, args.rows, monthly_rows=args.monthly_rows))


if __name__ == "__main__":
    main()
