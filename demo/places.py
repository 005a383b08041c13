"""Where and when the partner demo feeds happen: a demo postcode directory, the crime pattern of the street files,
delivery times, and the helpers every partner generator shares (demo.partners, demo.services and
demo.transport).

Every feed takes its places from one postcode directory (the real Trafford file plus a made-up file per other
district, in the same Trafford Data Lab layout), so a postcode or point any partner sends geocodes at the door. Where
events cluster follows the police.uk street files the demo already wrote: the same neighbourhoods carry the crime,
the deliberate fires, the assaults and the probation caseload, as a partnership's overlays would show.
"""

from __future__ import annotations

import csv
import os
import shutil
import zlib
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable

import duckdb
import numpy as np

from demo.data import CRIME_TYPES, DISTRICTS
from loaders.police_uk import POLICE_UK_STREET
from loaders.reference import POSTCODE_DIRECTORY
from loaders.reference_data import reference_dir
from warehouse.paths import PROJECT_DIR

GEOGRAPHY = reference_dir() / "geography"
LSOA21_WARDS = GEOGRAPHY / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv"
OA21_LOOKUP = GEOGRAPHY / "gm_oa21_lsoa21_msoa21_lad22_lookup.csv"
OA11_LOOKUP = GEOGRAPHY / "gm_oa11_lsoa11_msoa11_lad11_lookup.csv"
CADENCE = PROJECT_DIR / "seeds" / "feed_cadence.csv"
REAL_DIRECTORY = GEOGRAPHY / "trafford_postcodes_to_lsoa_ward.csv"
CRIME_TYPE_NAMES = tuple(name for name, *_ in CRIME_TYPES)

# The postcode districts (outward codes) lying mostly in each district, so a made-up postcode reads as local.
OUTWARD_CODES = {
    "E08000001": ("BL1", "BL2", "BL3", "BL4", "BL5", "BL6", "BL7"),
    "E08000002": ("BL0", "BL8", "BL9", "M25", "M26", "M45"),
    "E08000003": ("M1", "M2", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M15", "M16", "M18", "M19", "M20",
                  "M21", "M22", "M23", "M40"),
    "E08000004": ("OL1", "OL2", "OL3", "OL4", "OL8", "OL9", "M35"),
    "E08000005": ("OL10", "OL11", "OL12", "OL15", "OL16", "M24"),
    "E08000006": ("M3", "M5", "M6", "M7", "M27", "M28", "M30", "M38", "M44", "M50"),
    "E08000007": ("SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8"),
    "E08000008": ("SK14", "SK15", "SK16", "OL5", "OL6", "OL7", "M34", "M43"),
    "E08000010": ("WN1", "WN2", "WN3", "WN4", "WN5", "WN6", "WN7", "M29", "M46"),
}
INCODE_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))  # the inward code never uses C, I, K, M, O or V
POSTCODES_PER_LSOA = (6, 11)        # made-up postcodes per LSOA: 6 to 10
POSTCODE_SPREAD = 0.003             # degrees around the LSOA centre, clipped at MAX_SPREAD
MAX_SPREAD = 0.01
# Into the first month (10 April 2015 for the demo): before any feed reports a month, so every point can be placed.
DIRECTORY_DELIVERED_AFTER = timedelta(days=9, hours=9, minutes=30)
# A local linear fit of the OS National Grid at Manchester Town Hall (SJ 838 981): within ~100 m across the county,
# plenty for demo eastings and northings, without a projection library.
GRID_ORIGIN = (-2.2446, 53.4794, 383_800.0, 398_100.0)
METRES_PER_DEGREE = (66_240.0, 111_250.0)


@dataclass(frozen=True)
class Geography:
    """GM's 2021 LSOAs (the directory's and the hub's own feeds') and 2011 LSOAs (police.uk's and STATS19's).
    Labels are object arrays, so a column of them for any set of rows is one fancy index."""
    lsoa21: np.ndarray
    lsoa21_name: np.ndarray
    msoa21: np.ndarray
    msoa21_name: np.ndarray
    ward: np.ndarray
    ward_name: np.ndarray
    district: np.ndarray
    district_name: np.ndarray
    lsoa11: np.ndarray
    lsoa11_name: np.ndarray
    lsoa11_district: np.ndarray
    lsoa11_of: np.ndarray           # per 2021 LSOA, the 2011 LSOA holding most of its output areas

    def in_district(self, district: str) -> np.ndarray:
        return np.flatnonzero(self.district == district)

    def in_ward(self, district: str, ward_name: str) -> np.ndarray:
        return np.flatnonzero((self.district == district) & (self.ward_name == ward_name))


def read_geography() -> Geography:
    with LSOA21_WARDS.open(encoding="utf-8", newline="") as f:
        lsoas = sorted(csv.DictReader(f), key=lambda r: r["lsoa21cd"])
    with OA21_LOOKUP.open(encoding="utf-8", newline="") as f:
        oa21 = list(csv.DictReader(f))
    with OA11_LOOKUP.open(encoding="utf-8", newline="") as f:
        oa11 = list(csv.DictReader(f))
    msoa = {r["lsoa21cd"]: (r["msoa21cd"], r["msoa21nm"]) for r in oa21}
    names11 = dict(sorted({(r["lsoa11cd"], r["lsoa11nm"]) for r in oa11}))
    district11 = {r["lsoa11cd"]: r["lad11cd"] for r in oa11}
    codes11 = list(names11)
    index11 = {code: i for i, code in enumerate(codes11)}
    lsoa11_of_oa = {r["oa11cd"]: r["lsoa11cd"] for r in oa11}
    shared = defaultdict(Counter)
    for r in oa21:
        if r["oa21cd"] in lsoa11_of_oa:
            shared[r["lsoa21cd"]][lsoa11_of_oa[r["oa21cd"]]] += 1
    column = lambda values: np.array(values, dtype=object)  # noqa: E731
    geo = Geography(
        lsoa21=column([r["lsoa21cd"] for r in lsoas]), lsoa21_name=column([r["lsoa21nm"] for r in lsoas]),
        msoa21=column([msoa[r["lsoa21cd"]][0] for r in lsoas]),
        msoa21_name=column([msoa[r["lsoa21cd"]][1] for r in lsoas]),
        ward=column([r["wd22cd"] for r in lsoas]), ward_name=column([r["wd22nm"] for r in lsoas]),
        district=column([r["lad22cd"] for r in lsoas]), district_name=column([r["lad22nm"] for r in lsoas]),
        lsoa11=column(codes11), lsoa11_name=column([names11[c] for c in codes11]),
        lsoa11_district=column([district11[c] for c in codes11]),
        lsoa11_of=np.full(len(lsoas), -1),
    )
    for i, r in enumerate(lsoas):
        if shared[r["lsoa21cd"]]:
            best, _ = min(shared[r["lsoa21cd"]].items(), key=lambda item: (-item[1], item[0]))  # ties: lowest code
            geo.lsoa11_of[i] = index11[best]
    # The few LSOAs made wholly of new output areas take the 2011 LSOA of a neighbour in the same ward.
    for i in np.flatnonzero(geo.lsoa11_of < 0):
        neighbours = [j for j in np.flatnonzero(geo.ward == geo.ward[i]) if geo.lsoa11_of[j] >= 0]
        geo.lsoa11_of[i] = geo.lsoa11_of[neighbours[0]]
    return geo


@dataclass
class StreetMonth:
    """A street file's crimes (its ASB rows left out), as compact arrays."""
    path: Path
    place: np.ndarray       # index into StreetPattern.codes; -1 for "No Location"
    crime_type: np.ndarray  # index into CRIME_TYPE_NAMES
    lon: np.ndarray         # NaN when blank
    lat: np.ndarray


@dataclass
class StreetPattern:
    """What the street files say about places: rows per 2011 LSOA and crime type, and where each LSOA's points lie."""
    codes: list[str]                # GM 2011 LSOAs in Geography order, then any over the border met in the files
    months: dict[date, StreetMonth]
    counts: np.ndarray              # (GM 2011 LSOAs, crime types), every month, ASB included
    point_sum: np.ndarray           # (GM 2011 LSOAs, 2): lon, lat summed over the located rows
    point_count: np.ndarray

    def month(self, month: date) -> StreetMonth:
        """That month's crimes, or the nearest earlier month's where police.uk's file is not the demo's own
        (December 2016 is the real partial extract): the partner's own extract is whole even when police.uk's is not."""
        earlier = [m for m in self.months if m <= month] or sorted(self.months)
        return self.months[max(earlier)]


def read_street_files(geo: Geography, street_files: list[Path]) -> StreetPattern:
    """The street files as written, read back by DuckDB in one scan (the csv module takes several times as long over
    a million rows). ENUM casts turn LSOA codes and crime types into indexes, so rows keep their file order; the
    few codes outside GM (points snapped over the border) come back as text and are indexed after GM's."""
    files = [str(f) for f in sorted(street_files)]
    columns = "{" + ", ".join(f"'{c}': '{'DOUBLE' if c in ('Longitude', 'Latitude') else 'VARCHAR'}'"
                              for c in POLICE_UK_STREET.headers) + "}"
    con = duckdb.connect()
    try:
        for name, values in (("gm_lsoa", list(geo.lsoa11)), ("crime_type", list(CRIME_TYPE_NAMES)), ("file", files)):
            con.execute(f"create type {name} as enum (select unnest(?::varchar[]))", [values])
        rows = con.execute(f"""
            select enum_code(filename::file) as file,
                   coalesce(enum_code(try_cast("LSOA code" as gm_lsoa)), -1) as place,
                   case when try_cast("LSOA code" as gm_lsoa) is null then "LSOA code" end as elsewhere,
                   enum_code("Crime type"::crime_type) as kind,
                   coalesce(Longitude, 'NaN') as lon, coalesce(Latitude, 'NaN') as lat
            from read_csv(?, header = true, auto_detect = false, columns = {columns}, filename = true)
        """, [files]).fetchnumpy()
    finally:
        con.close()
    elsewhere = np.ma.filled(rows.pop("elsewhere"), "")      # an object array: blank when in GM or no location
    outside = np.flatnonzero(elsewhere != "")
    others, index = np.unique(elsewhere[outside].astype(str), return_inverse=True)
    rows = {name: np.asarray(values) for name, values in rows.items()}
    rows["place"][outside] = len(geo.lsoa11) + index
    if (np.diff(rows["file"].astype(np.int16)) < 0).any():    # the scan keeps file order, so this never runs
        order = np.argsort(rows["file"], kind="stable")
        rows = {name: values[order] for name, values in rows.items()}
    bounds = np.searchsorted(rows["file"], np.arange(len(files) + 1))
    return _pattern(list(geo.lsoa11) + others.tolist(), len(geo.lsoa11),
                    {Path(f): {k: v[bounds[i]:bounds[i + 1]] for k, v in rows.items()} for i, f in enumerate(files)})


def _pattern(codes: list[str], gm: int, files: dict[Path, dict[str, np.ndarray]]) -> StreetPattern:
    counts = np.zeros((gm, len(CRIME_TYPE_NAMES)))
    point_sum, point_count = np.zeros((gm, 2)), np.zeros(gm)
    asb = CRIME_TYPE_NAMES.index("Anti-social behaviour")
    crimes_by_month = {}
    for path, rows in files.items():
        place, kind, lon, lat = (rows[c] for c in ("place", "kind", "lon", "lat"))
        in_gm = (place >= 0) & (place < gm)
        counts += np.bincount(place[in_gm] * len(CRIME_TYPE_NAMES) + kind[in_gm],
                              minlength=counts.size).reshape(counts.shape)
        located = in_gm & ~np.isnan(lon)
        point_sum[:, 0] += np.bincount(place[located], lon[located], minlength=gm)
        point_sum[:, 1] += np.bincount(place[located], lat[located], minlength=gm)
        point_count += np.bincount(place[located], minlength=gm)
        crimes = kind != asb
        month = date.fromisoformat(path.name[:7] + "-01")
        crimes_by_month[month] = StreetMonth(path, place[crimes], kind[crimes], lon[crimes], lat[crimes])
    return StreetPattern(codes, crimes_by_month, counts, point_sum, point_count)


def lsoa_weights(geo: Geography, pattern: StreetPattern, crime_types: tuple[str, ...] = CRIME_TYPE_NAMES,
                 power: float = 1.0) -> np.ndarray:
    """How likely an event is in each 2021 LSOA, from the street rows of the given types in its 2011 LSOA (shared
    between the LSOAs a 2011 one split into); power > 1 concentrates events in the hotspots."""
    columns = [CRIME_TYPE_NAMES.index(t) for t in crime_types]
    per11 = pattern.counts[:, columns].sum(axis=1) + 0.5
    split_into = np.bincount(geo.lsoa11_of, minlength=len(geo.lsoa11))
    weights = (per11[geo.lsoa11_of] / split_into[geo.lsoa11_of]) ** power
    return weights / weights.sum()


@dataclass(frozen=True)
class Directory:
    """The postcode directory as the demo wrote it, sorted by LSOA so any LSOA's postcodes are one slice."""
    postcode: np.ndarray    # object
    outward: np.ndarray     # object
    lsoa: np.ndarray        # index into Geography.lsoa21
    lon: np.ndarray
    lat: np.ndarray
    first: np.ndarray       # per 2021 LSOA, its first postcode
    count: np.ndarray

    def pick(self, rng: np.random.Generator, lsoas: np.ndarray) -> np.ndarray:
        """A postcode (its index) in each of the given LSOAs, uniformly."""
        return self.first[lsoas] + (rng.random(len(lsoas)) * self.count[lsoas]).astype(int)

    def centre(self, lsoas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first postcode's point of each LSOA: a fixed place for a station or stop there."""
        return self.lon[self.first[lsoas]], self.lat[self.first[lsoas]]


def write_directory(geo: Geography, pattern: StreetPattern, incoming: Path, rng: np.random.Generator,
                    first_month: date) -> tuple[Directory, list[Path]]:
    """The real Trafford directory copied in as delivered, and one made-up file per other district in its layout."""
    delivered = datetime.combine(first_month, time()) + DIRECTORY_DELIVERED_AFTER
    folder = incoming / "reference" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    real_copy = incoming / "reference" / REAL_DIRECTORY.name
    shutil.copyfile(REAL_DIRECTORY, real_copy)
    stamp(real_copy, delivered)
    with REAL_DIRECTORY.open(encoding="utf-8", newline="") as f:
        trafford = list(csv.DictReader(f))
    index21 = {code: i for i, code in enumerate(geo.lsoa21)}
    postcodes = [r["postcode"] for r in trafford]
    lsoas = [index21[r["lsoa_code"]] for r in trafford]
    points = [(float(r["lon"]), float(r["lat"])) for r in trafford]
    taken = set(postcodes)
    centres = _lsoa_centres(geo, pattern, rng)
    written = [real_copy]
    for district in OUTWARD_CODES:
        rows = _district_postcodes(geo, district, centres, taken, rng)
        path = folder / f"{geo.district_name[geo.in_district(district)[0]].lower()}_postcodes_to_lsoa_ward.csv"
        write_csv(path, POSTCODE_DIRECTORY.headers, sorted(rows), delivered)
        written.append(path)
        postcodes += [r[0] for r in rows]
        lsoas += [index21[r[5]] for r in rows]
        points += [(float(r[10]), float(r[11])) for r in rows]
    return _directory(geo, postcodes, np.array(lsoas), np.array(points)), written


def _lsoa_centres(geo: Geography, pattern: StreetPattern, rng: np.random.Generator) -> np.ndarray:
    """(lon, lat) per 2021 LSOA: where the street files put its 2011 LSOA's points (nudged for an LSOA split in 2021),
    or near the district's centre, as demo.data places it, where the street files have none."""
    seen = pattern.point_count[geo.lsoa11_of] > 0
    mean = pattern.point_sum[geo.lsoa11_of] / np.maximum(pattern.point_count[geo.lsoa11_of], 1)[:, None]
    split = geo.lsoa21 != geo.lsoa11[geo.lsoa11_of]
    district = np.array([DISTRICTS[d][2:0:-1] for d in geo.district])
    centres = np.where(seen[:, None], mean, district + rng.normal(0, 0.018, size=district.shape))
    return centres + np.where(split[:, None], rng.normal(0, 0.004, size=centres.shape), 0)


def _district_postcodes(geo: Geography, district: str, centres: np.ndarray, taken: set[str],
                        rng: np.random.Generator) -> list[list[str]]:
    """Made-up postcodes for every LSOA of the district: an outward code per MSOA (as postcode districts roughly
    follow them, 15% of LSOAs straying to another), inward codes unique across GM, points near the LSOA centre."""
    outward = OUTWARD_CODES[district]
    rows = []
    msoa_outward = {}
    for i in geo.in_district(district):
        home = msoa_outward.setdefault(geo.msoa21[i], outward[rng.integers(len(outward))])
        code = home if rng.random() > 0.15 else outward[rng.integers(len(outward))]
        n = int(rng.integers(*POSTCODES_PER_LSOA))
        offsets = np.clip(rng.normal(0, POSTCODE_SPREAD, size=(n, 2)), -MAX_SPREAD, MAX_SPREAD)
        for lon, lat in centres[i] + offsets:
            postcode = _new_postcode(code, taken, rng)
            rows.append([postcode, geo.ward[i], geo.ward_name[i], geo.msoa21[i], geo.msoa21_name[i], geo.lsoa21[i],
                         geo.lsoa21_name[i], "", district, geo.district_name[i], f"{lon:.6f}", f"{lat:.6f}"])
    return rows


def _new_postcode(outward: str, taken: set[str], rng: np.random.Generator) -> str:
    while True:
        letters = INCODE_LETTERS[rng.integers(len(INCODE_LETTERS), size=2)]
        postcode = f"{outward} {rng.integers(10)}{letters[0]}{letters[1]}"
        if postcode not in taken:
            taken.add(postcode)
            return postcode


def _directory(geo: Geography, postcodes: list[str], lsoas: np.ndarray, points: np.ndarray) -> Directory:
    order = np.argsort(lsoas, kind="stable")
    lsoas = lsoas[order]
    postcode = np.array(postcodes, dtype=object)[order]
    every = np.arange(len(geo.lsoa21))
    first = np.searchsorted(lsoas, every)
    return Directory(postcode, np.array([p.split(" ")[0] for p in postcode], dtype=object), lsoas,
                     points[order, 0], points[order, 1], first, np.searchsorted(lsoas, every, side="right") - first)


def easting_northing(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon0, lat0, east0, north0 = GRID_ORIGIN
    return east0 + (lon - lon0) * METRES_PER_DEGREE[0], north0 + (lat - lat0) * METRES_PER_DEGREE[1]


@dataclass(frozen=True)
class DemoWorld:
    """What every partner generator shares: the places, the crime pattern, the months, the delivery clock and the
    volume."""
    geo: Geography
    pattern: StreetPattern
    directory: Directory
    months: tuple[date, ...]    # the month starts every monthly feed delivers, in order
    deliveries: Deliveries
    scale: float
    seed: int

    def delivered(self, partner: str, feed: str, month: date, rng: np.random.Generator) -> datetime:
        return self.deliveries.at(partner, feed, month, rng)


# ---- when things happen -------------------------------------------------------------------------------------------

def days_in(month: date) -> int:
    return (date(month.year + month.month // 12, month.month % 12 + 1, 1) - month).days


def times_in(rng: np.random.Generator, month: date, n: int, hourly, daily=None) -> np.ndarray:
    """n local datetimes (datetime64[s]) in the month: hour weights (24, or 7 x 24 by weekday, Monday first) times
    optional weights per day of the month, so Friday nights, bonfire night or Christmas can carry more."""
    days = np.arange(days_in(month))
    weekday = ((np.datetime64(month, "D") + days).astype("int64") + 3) % 7  # Monday 0: 1970-01-01 was a Thursday
    hourly = np.asarray(hourly, dtype=float)
    by_hour = hourly[weekday] if hourly.ndim == 2 else np.tile(hourly, (len(days), 1))
    cells = by_hour * (np.ones(len(days)) if daily is None else np.asarray(daily, dtype=float))[:, None]
    cell = rng.choice(cells.size, size=n, p=(cells / cells.sum()).ravel())
    seconds = (cell // 24) * 86_400 + (cell % 24) * 3_600 + rng.integers(0, 3_600, size=n)
    return np.datetime64(month, "s") + seconds.astype("timedelta64[s]")


def labelled(values: np.ndarray, label) -> np.ndarray:
    """label(value) for every value, computed once per distinct value: dates, times of day and snap points repeat
    so much that this is most of the speed of writing a million rows."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([label(v) for v in distinct.tolist()], dtype=object)[inverse.ravel()]


def iso_dates(moments: np.ndarray) -> np.ndarray:
    return labelled(moments.astype("datetime64[D]"), lambda d: d.isoformat())


def clock(moments: np.ndarray, seconds: bool = False) -> np.ndarray:
    of_day = (moments.astype("datetime64[s]") - moments.astype("datetime64[D]")).astype("int64")
    if seconds:
        return labelled(of_day, lambda v: f"{v // 3600:02d}:{v // 60 % 60:02d}:{v % 60:02d}")
    return labelled(of_day // 60, lambda v: f"{v // 60:02d}:{v % 60:02d}")


def decimals(values: np.ndarray, digits: int = 6, keep: np.ndarray | None = None) -> np.ndarray:
    """Numbers as text to `digits` places; NaN, or a False in `keep`, is written blank."""
    text = labelled(values, lambda v: "" if v != v else f"{v:.{digits}f}")
    return text if keep is None else np.where(keep, text, "").astype(object)


def to_utc(local: np.ndarray) -> np.ndarray:
    """UK local time to UTC: British Summer Time runs from 01:00 UTC on the last Sunday in March to 01:00 UTC on the
    last Sunday in October, when local clocks read 02:00."""
    years, which = np.unique(local.astype("datetime64[Y]").astype(int) + 1970, return_inverse=True)
    start = np.array([_last_sunday(y, 3) for y in years], dtype="datetime64[s]") + np.timedelta64(7200, "s")
    end = np.array([_last_sunday(y, 10) for y in years], dtype="datetime64[s]") + np.timedelta64(7200, "s")
    summer = (local >= start[which]) & (local < end[which])
    return local - summer.astype("int64").astype("timedelta64[h]")


def _last_sunday(year: int, month: int) -> np.datetime64:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return np.datetime64(last - timedelta(days=(last.weekday() + 1) % 7), "D")


# ---- when files arrive, and writing them ----------------------------------------------------------------------------

class Deliveries:
    """When each demo file 'arrived' (its mtime, which the partner scorecard judges lateness by): in the two weeks up
    to the feed's due day in seeds/feed_cadence.csv (at most five weeks after the month, as demo.data's street files
    arrive), except two months per feed that come weeks late."""

    LATE_PER_FEED = 2
    LATEST_ON_TIME = 35

    def __init__(self, seed: int, months: tuple[date, ...]):
        with CADENCE.open(encoding="utf-8", newline="") as f:
            self.due = {(r["partner"], r["feed"]): int(r["due_days_after_period"])
                        for r in csv.DictReader(f) if r["period_months"] == "1"}
        self.seed = seed
        self.months = months
        self.late: dict[tuple[str, str], set[date]] = {}

    def at(self, partner: str, feed: str, month: date, rng: np.random.Generator) -> datetime:
        due = self.due.get((partner, feed), 30)
        month_end = month + timedelta(days=days_in(month) - 1)
        if month in self._late_months(partner, feed):
            return datetime.combine(month_end + timedelta(days=due + int(rng.integers(8, 36))), time(9, 30))
        latest = min(due, self.LATEST_ON_TIME)
        days = int(rng.integers(max(2, latest - 14), latest + 1))
        return datetime.combine(month_end + timedelta(days=days), time(9, 30))

    def _late_months(self, partner: str, feed: str) -> set[date]:
        """Fixed per feed by the seed; never the last quarter, so the latest months arrive by the demo's as-at date."""
        if (partner, feed) not in self.late:
            months = self.months[2:-3]
            chosen = rng_for(self.seed, f"late/{partner}/{feed}").choice(len(months), self.LATE_PER_FEED, replace=False)
            self.late[(partner, feed)] = {months[i] for i in chosen}
        return self.late[(partner, feed)]


def rng_for(seed: int, name: str) -> np.random.Generator:
    """One generator per feed, so changing how one feed is made leaves every other feed's rows as they were."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def stamp(path: Path, delivered: datetime) -> None:
    os.utime(path, (delivered.timestamp(), delivered.timestamp()))


def write_csv(path: Path, header, rows, delivered: datetime) -> Path:
    """Header and rows, their width checked on the first row: a contract that gains a column must not silently get
    files whose rows are one short."""
    rows = iter(rows)
    first = next(rows)
    if len(first) != len(header):
        raise ValueError(f"{path.name}: rows of {len(first)} fields under a header of {len(header)}: "
                         f"{', '.join(header)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerow(first)
        writer.writerows(rows)
    stamp(path, delivered)
    return path


def scrambled(numbers: np.ndarray, digits: int) -> np.ndarray:
    """Distinct numbers in, distinct random-looking numbers of `digits` digits out (a bijection mod 10**digits), so
    references look issued, not counted, and never collide."""
    modulus = 10 ** digits
    return (np.asarray(numbers, dtype=np.int64) * 7_368_787 + 5_817_293) % modulus


def choose(rng: np.random.Generator, options: dict[str, float], n: int) -> np.ndarray:
    """n labels drawn from {label: weight} (an object array, ready to write)."""
    labels = np.array(list(options), dtype=object)
    weights = np.array(list(options.values()), dtype=float)
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def flags(mask: np.ndarray, yes: str = "Y", no: str = "N") -> np.ndarray:
    return np.where(mask, yes, no).astype(object)


def count_for(rng: np.random.Generator, expected: float, minimum: int = 5) -> int:
    """A month's volume: Poisson about the expected count, never fewer than a handful of rows (a small-scale demo
    still delivers every file, and the engine refuses an empty one)."""
    return max(minimum, int(rng.poisson(max(expected, 0.0))))


def points_near(world: DemoWorld, rng: np.random.Generator, lsoas: np.ndarray, jitter: float, blank: float,
                digits: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) text near a directory postcode in each LSOA; a share left blank, both together."""
    at = world.directory.pick(rng, lsoas)
    lon = world.directory.lon[at] + rng.normal(0, jitter, len(at))
    lat = world.directory.lat[at] + rng.normal(0, jitter, len(at))
    keep = rng.random(len(at)) >= blank
    return decimals(lon, digits, keep), decimals(lat, digits, keep)


def shares(weights) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


class Repeats:
    """References for people, some of whom come back: a share of each month's rows reuse a reference seen in the
    past `memory` months (repeat victims, repeat patients), the rest are new. Frequent returners are drawn more."""

    def __init__(self, rng: np.random.Generator, label: Callable[[int], str], digits: int, memory: int, first: int = 0):
        self.rng, self.label, self.digits = rng, label, digits
        self.seen: deque[np.ndarray] = deque(maxlen=memory)
        self.issued = first     # numbers from here on; another Repeats can take a range that never meets this one's

    def draw(self, repeat_share: np.ndarray) -> np.ndarray:
        n = len(repeat_share)
        numbers = scrambled(np.arange(self.issued, self.issued + n), self.digits)
        self.issued += n
        pool = np.concatenate(list(self.seen)) if self.seen else np.empty(0, dtype=np.int64)
        repeat = (self.rng.random(n) < repeat_share) & (len(pool) > 0)
        numbers[repeat] = self.rng.choice(pool, size=int(repeat.sum())) if len(pool) else numbers[repeat]
        self.seen.append(numbers)
        return np.array([self.label(v) for v in numbers.tolist()], dtype=object)


def crn(number: int) -> str:
    """An offender reference as the brief's probation extract writes it: CRN, a letter and six digits."""
    return f"CRN{chr(65 + number // 1_000_000 % 26)}{number % 1_000_000:06d}"
