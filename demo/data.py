"""A realistic demo data set in the partners' own formats, reproducible from a seed.

Police.uk street-level files for all ten Greater Manchester districts, April 2015 to March 2018 (three
financial years), one file a month as data.police.uk publishes them. December 2016 is left to the real GMP
extract (../shared), which covers Bolton only: the demo shows a genuinely partial delivery, as happens.

What makes it realistic: district crime levels scaled to their populations and urban density, a heavy-tailed
spread between neighbourhoods (a few hotspots carry much of the volume), category mixes and seasonal peaks
typical of police.uk (violence and ASB peak in summer, burglary in winter), rising recorded violence, a handful of
fixed snap points per LSOA (so locations repeat), ASB rows without a Crime ID, "No Location" rows, and a few
points snapped just over the border into a neighbouring force's LSOA.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

POLICE_UK_HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
FORCE = "Greater Manchester Police"
FIRST_MONTH = date(2015, 4, 1)
MONTHS = 36
REAL_EXTRACT_MONTH = date(2016, 12, 1)

# Relative recorded-crime level per resident, and an approximate centre used only to place demo points.
DISTRICTS = {
    "E08000001": (1.00, 53.578, -2.429),  # Bolton
    "E08000002": (0.85, 53.593, -2.298),  # Bury
    "E08000003": (1.65, 53.479, -2.245),  # Manchester
    "E08000004": (1.05, 53.541, -2.117),  # Oldham
    "E08000005": (1.05, 53.616, -2.155),  # Rochdale
    "E08000006": (1.20, 53.488, -2.291),  # Salford
    "E08000007": (0.75, 53.408, -2.149),  # Stockport
    "E08000008": (0.95, 53.480, -2.081),  # Tameside
    "E08000009": (0.70, 53.442, -2.305),  # Trafford
    "E08000010": (0.90, 53.545, -2.632),  # Wigan
}

# (police.uk crime type, share of monthly volume, seasonal amplitude, month of peak, yearly trend)
CRIME_TYPES = (
    ("Anti-social behaviour", 0.230, 0.18, 7, -0.04),
    ("Violence and sexual offences", 0.215, 0.12, 7, 0.12),
    ("Criminal damage and arson", 0.085, 0.08, 10, 0.00),
    ("Other theft", 0.080, 0.05, 8, 0.00),
    ("Burglary", 0.075, 0.12, 12, -0.02),
    ("Vehicle crime", 0.075, 0.08, 11, 0.02),
    ("Shoplifting", 0.060, 0.06, 12, 0.03),
    ("Public order", 0.070, 0.10, 7, 0.15),
    ("Drugs", 0.025, 0.05, 6, -0.05),
    ("Theft from the person", 0.017, 0.08, 12, 0.05),
    ("Robbery", 0.013, 0.10, 1, 0.08),
    ("Bicycle theft", 0.012, 0.30, 7, 0.00),
    ("Possession of weapons", 0.008, 0.05, 7, 0.10),
    ("Other crime", 0.035, 0.03, 7, 0.06),
)
MONTHLY_INCIDENTS = 36_000  # Greater Manchester, crimes and ASB together

OUTCOMES = (
    ("Investigation complete; no suspect identified", 0.42),
    ("Unable to prosecute suspect", 0.25),
    ("Under investigation", 0.10),
    ("Awaiting court outcome", 0.06),
    ("Offender given a caution", 0.04),
    ("Local resolution", 0.05),
    ("Further investigation is not in the public interest", 0.03),
    ("Offender sent to prison", 0.02),
    ("Offender fined", 0.03),
)
STREETS = (
    "High Street", "Church Street", "Market Street", "Station Road", "Park Road", "Victoria Road", "Manchester Road",
    "Bury Road", "Oldham Road", "Chapel Street", "Parking Area", "Supermarket", "Shopping Area", "Petrol Station",
    "Sports/Recreation Area", "Nightclub", "Bus/Coach Station", "Further/Higher Educational Building", "Hospital",
    "Police Station", "Conference/Exhibition Centre", "Theatre/Concert Hall", "Pedestrian Subway",
)
LATE_DELIVERIES = (date(2016, 7, 1), date(2017, 10, 1))
LATE_DELIVERY_DAYS = 80
SNAP_POINTS_PER_LSOA = 8
NO_LOCATION_SHARE = 0.004
ACROSS_BORDER_SHARE = 0.002
ACROSS_BORDER_LSOA = ("E01012628", "Blackburn with Darwen 018D", 53.622101, -2.462774)


@dataclass(frozen=True)
class Lsoa:
    code: str
    name: str
    district: str


def read_lsoas(oa_lookup: Path) -> list[Lsoa]:
    """The 2011 LSOAs police.uk uses, from the OA11 -> LSOA11 -> LAD11 lookup."""
    with oa_lookup.open(encoding="utf-8", newline="") as f:
        found = {(r["lsoa11cd"], r["lsoa11nm"], r["lad11cd"]) for r in csv.DictReader(f)}
    return [Lsoa(*row) for row in sorted(found)]


def month_list(first: date = FIRST_MONTH, count: int = MONTHS) -> list[date]:
    """`count` month starts from `first`: the demo's three financial years unless asked otherwise."""
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def generate(lsoas: list[Lsoa], target: Path, *, scale: float = 1.0, seed: int = 2016,
             months: list[date] | None = None, real_extract_month: date | None = REAL_EXTRACT_MONTH) -> list[Path]:
    """Write one police.uk street-level file per month (the demo's months unless `months` is given) into `target`,
    except `real_extract_month`, which is left to the real extract (None: write every month); returns the files
    written."""
    rng = np.random.default_rng(seed)
    target.mkdir(parents=True, exist_ok=True)
    district_level = np.array([DISTRICTS[l.district][0] for l in lsoas])
    neighbourhood = rng.lognormal(mean=0.0, sigma=0.65, size=len(lsoas))
    risk = district_level * neighbourhood
    risk /= risk.sum()
    centres = np.array([DISTRICTS[l.district][1:] for l in lsoas])
    lsoa_centre = centres + rng.normal(0.0, 0.018, size=(len(lsoas), 2))
    snap_points = lsoa_centre[:, None, :] + rng.normal(0.0, 0.004, size=(len(lsoas), SNAP_POINTS_PER_LSOA, 2))
    snap_streets = rng.integers(0, len(STREETS), size=(len(lsoas), SNAP_POINTS_PER_LSOA))
    outcome_p = np.array([p for _, p in OUTCOMES]) / sum(p for _, p in OUTCOMES)

    written = []
    for index, month in enumerate(months or month_list()):
        if month == real_extract_month:
            continue
        rows = []
        for crime_type, share, amplitude, peak, trend in CRIME_TYPES:
            seasonal = 1 + amplitude * np.cos(2 * np.pi * (month.month - peak) / 12)
            expected = MONTHLY_INCIDENTS * scale * share * seasonal * (1 + trend) ** (index / 12) * risk
            where = np.repeat(np.arange(len(lsoas)), rng.poisson(expected))
            rows += _rows(rng, month, crime_type, [lsoas[i] for i in where],
                          snap_points[where, rng.integers(SNAP_POINTS_PER_LSOA, size=len(where))],
                          snap_streets[where, rng.integers(SNAP_POINTS_PER_LSOA, size=len(where))],
                          rng.choice(len(OUTCOMES), size=len(where), p=outcome_p))
        order = rng.permutation(len(rows))
        path = target / f"{month:%Y-%m}-greater-manchester-street.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(POLICE_UK_HEADER)
            writer.writerows(_with_crime_id(rows[i], month, i) for i in order)
        delivered = delivery_time(month, rng)
        os.utime(path, (delivered.timestamp(), delivered.timestamp()))
        written.append(path)
    return written


def delivery_time(month: date, rng: np.random.Generator) -> datetime:
    """When the month's file 'arrived': usually 2-5 weeks after the month ends, a few much later."""
    month_end = date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)
    delay = LATE_DELIVERY_DAYS if month in LATE_DELIVERIES else int(rng.integers(14, 36))
    return datetime.combine(month_end + timedelta(days=delay), time(9, 30))


def _rows(rng, month, crime_type, lsoas, points, streets, outcomes) -> list[list]:
    is_asb = crime_type == "Anti-social behaviour"
    placement = rng.random(len(lsoas))
    rows = []
    for lsoa, (lat, lon), street, outcome, draw in zip(lsoas, points, streets, outcomes, placement):
        if draw < NO_LOCATION_SHARE:
            place = ["", "", "No Location", "", ""]
        elif draw < NO_LOCATION_SHARE + ACROSS_BORDER_SHARE:
            code, name, lat, lon = ACROSS_BORDER_LSOA
            place = [f"{lon:.6f}", f"{lat:.6f}", "On or near Scout Road", code, name]
        else:
            place = [f"{lon:.6f}", f"{lat:.6f}", f"On or near {STREETS[street]}", lsoa.code, lsoa.name]
        rows.append([is_asb, f"{month:%Y-%m}", FORCE, FORCE, *place, crime_type,
                     "" if is_asb else OUTCOMES[outcome][0], ""])
    return rows


def _with_crime_id(row: list, month: date, position: int) -> list[str]:
    """police.uk gives crimes a 64-hex Crime ID and ASB incidents none."""
    is_asb, rest = row[0], row[1:]
    crime_id = "" if is_asb else hashlib.sha256(f"demo-{month:%Y-%m}-{position}".encode()).hexdigest()
    return [crime_id, *rest]
