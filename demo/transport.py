"""Demo transport feeds: BTP crime at stations (police.uk layout), TfGM network incidents, DfT STATS19 collisions,
and the real TfGM casualty table copied in as delivered (see demo.partners).

The collisions are the real Greater Manchester accidents of the TfGM casualty table (the demo's years): each
keeps its accident reference, casualty count and worst casualty's severity, so the two tables agree; only the date,
time, place and road detail are made up. The DfT index is year + reference; TfGM's is reference + year.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from demo.data import OUTCOMES
from demo.places import (
    DemoWorld, choose, clock, count_for, days_in, decimals, easting_northing, iso_dates, lsoa_weights, rng_for, shares,
    stamp, times_in, write_csv,
)
from loaders.police_uk import BTP_STREET
from loaders.transport import DFT_COLLISIONS, TFGM_INCIDENTS
from warehouse.paths import PROJECT_DIR

REAL_STATS19 = PROJECT_DIR.parent / "shared" / "data" / "real" / "stats19"
REAL_CASUALTIES = REAL_STATS19 / "tfgm_STATS19CasDataJan2010Dec2021forGMServers.csv"
CASUALTIES_DELIVERED = datetime(2022, 6, 15, 9, 30)  # it runs to December 2021: TfGM's annual table for 2021
BTP = "British Transport Police"
BTP_MONTHLY, TFGM_MONTHLY, GREATER_MANCHESTER_FORCE = 250, 400, "6"

# (name, district, 2022 ward it lies in, share of the crime): BTP's railway stations, busiest first.
RAIL_STATIONS = (
    ("Manchester Piccadilly", "E08000003", "Piccadilly", 10), ("Manchester Victoria", "E08000003", "Deansgate", 7),
    ("Manchester Oxford Road", "E08000003", "Deansgate", 5), ("Manchester Airport", "E08000003", "Woodhouse Park", 4),
    ("Stockport", "E08000007", "Edgeley and Cheadle Heath", 4), ("Bolton", "E08000001", "Great Lever", 3),
    ("Wigan North Western", "E08000010", "Wigan Central", 3), ("Deansgate", "E08000003", "Deansgate", 2),
    ("Salford Central", "E08000006", "Blackfriars & Trinity", 1.5),
    ("Wigan Wallgate", "E08000010", "Wigan Central", 1.5), ("Rochdale", "E08000005", "Milkstone & Deeplish", 1.5),
    ("Ashton-under-Lyne", "E08000008", "Ashton St Michael's", 1.5), ("Altrincham", "E08000009", "Altrincham", 1.5),
    ("Salford Crescent", "E08000006", "Pendleton & Charlestown", 1), ("Eccles", "E08000006", "Eccles", 1),
    ("Stalybridge", "E08000008", "Stalybridge North", 1), ("Levenshulme", "E08000003", "Levenshulme", 1),
    ("Horwich Parkway", "E08000001", "Horwich and Blackrod", 0.8),
    ("Cheadle Hulme", "E08000007", "Cheadle Hulme North", 0.8), ("Urmston", "E08000009", "Urmston", 0.6),
    ("Westhoughton", "E08000001", "Westhoughton North and Chew Moor", 0.5), ("Hindley", "E08000010", "Hindley", 0.5),
    ("Atherton", "E08000010", "Atherton", 0.5), ("Hazel Grove", "E08000007", "Hazel Grove", 0.5),
    ("Guide Bridge", "E08000008", "Audenshaw", 0.5), ("Walkden", "E08000006", "Walkden South", 0.5),
    ("Moston", "E08000003", "Moston", 0.5), ("East Didsbury", "E08000003", "Didsbury East", 0.5),
    ("Castleton", "E08000005", "Castleton", 0.4), ("Littleborough", "E08000005", "Littleborough Lakeside", 0.4),
    ("Hyde Central", "E08000008", "Hyde Newton", 0.4), ("Farnworth", "E08000001", "Farnworth", 0.4),
    ("Greenfield", "E08000004", "Saddleworth South", 0.3), ("Navigation Road", "E08000009", "Broadheath", 0.3),
)
BTP_CRIME_TYPES = {
    "Violence and sexual offences": 25, "Other theft": 22, "Public order": 15, "Criminal damage and arson": 8,
    "Theft from the person": 6, "Drugs": 6, "Other crime": 6, "Bicycle theft": 5, "Robbery": 2, "Shoplifting": 2,
    "Possession of weapons": 2,
}
METROLINK_STOPS = (
    ("Piccadilly Gardens", "E08000003", "Piccadilly", 8), ("Market Street", "E08000003", "Deansgate", 5),
    ("Shudehill", "E08000003", "Piccadilly", 4), ("St Peter's Square", "E08000003", "Deansgate", 4),
    ("Victoria", "E08000003", "Deansgate", 4), ("Piccadilly", "E08000003", "Piccadilly", 4),
    ("Deansgate-Castlefield", "E08000003", "Deansgate", 3), ("Etihad Campus", "E08000003", "Ancoats & Beswick", 2),
    ("Cornbrook", "E08000003", "Hulme", 1), ("Wythenshawe Town Centre", "E08000003", "Sharston", 2),
    ("Manchester Airport", "E08000003", "Woodhouse Park", 1), ("Chorlton", "E08000003", "Chorlton", 1),
    ("Withington", "E08000003", "Withington", 1), ("East Didsbury", "E08000003", "Didsbury East", 1),
    ("Newton Heath and Moston", "E08000003", "Miles Platting & Newton Heath", 2),
    ("Crumpsall", "E08000003", "Crumpsall", 1), ("Bury", "E08000002", "Bury East", 3),
    ("Radcliffe", "E08000002", "Radcliffe West", 1), ("Whitefield", "E08000002", "Besses", 1),
    ("Rochdale Town Centre", "E08000005", "Central Rochdale", 3), ("Milnrow", "E08000005", "Milnrow & Newhey", 0.5),
    ("Oldham Mumps", "E08000004", "St Mary's", 2), ("Oldham Central", "E08000004", "St Mary's", 2),
    ("Failsworth", "E08000004", "Failsworth West", 1), ("Hollinwood", "E08000004", "Hollinwood", 1),
    ("Shaw and Crompton", "E08000004", "Shaw", 0.5), ("Ashton-under-Lyne", "E08000008", "Ashton St Michael's", 2),
    ("Droylsden", "E08000008", "Droylsden East", 1), ("Audenshaw", "E08000008", "Audenshaw", 0.5),
    ("MediaCityUK", "E08000006", "Quays", 1.5), ("Eccles", "E08000006", "Eccles", 1.5),
    ("Ladywell", "E08000006", "Weaste & Seedley", 0.5), ("Stretford", "E08000009", "Stretford", 1.5),
    ("Sale", "E08000009", "Priory", 1), ("Altrincham", "E08000009", "Altrincham", 1.5),
    ("Timperley", "E08000009", "Timperley", 0.5),
)
BUS_ROUTES = (
    ("192", "E08000007", 6), ("42", "E08000003", 3), ("43", "E08000003", 3), ("86", "E08000003", 3),
    ("50", "E08000006", 2), ("135", "E08000003", 2), ("8", "E08000001", 2), ("36", "E08000006", 2),
    ("471", "E08000002", 2), ("409", "E08000004", 2), ("59", "E08000004", 2), ("83", "E08000004", 2),
    ("17", "E08000005", 2), ("330", "E08000008", 2), ("346", "E08000008", 1), ("201", "E08000008", 2),
    ("263", "E08000009", 2), ("25", "E08000009", 1), ("10", "E08000010", 1), ("600", "E08000010", 1),
    ("34", "E08000010", 1), ("22", "E08000006", 1), ("18", "E08000003", 1), ("125", "E08000001", 1),
)
INTERCHANGES = (
    ("Shudehill Interchange", "E08000003", "Piccadilly", 4),
    ("Piccadilly Gardens bus station", "E08000003", "Piccadilly", 4),
    ("Bolton Interchange", "E08000001", "Great Lever", 3), ("Bury Interchange", "E08000002", "Bury East", 3),
    ("Rochdale Interchange", "E08000005", "Central Rochdale", 2), ("Oldham bus station", "E08000004", "St Mary's", 2),
    ("Stockport bus station", "E08000007", "Brinnington and Central", 2),
    ("Ashton Interchange", "E08000008", "Ashton St Michael's", 2),
    ("Wigan bus station", "E08000010", "Wigan Central", 2), ("Altrincham Interchange", "E08000009", "Altrincham", 1),
    ("Leigh bus station", "E08000010", "Leigh West", 1), ("Eccles Interchange", "E08000006", "Eccles", 1),
)
MODES = {"Bus": 45, "Metrolink": 35, "Rail": 8, "Interchange": 12}
INCIDENT_CATEGORIES = {   # category: (share, sub-categories)
    "Crime": (35, ("Assault", "Theft", "Criminal damage", "Robbery", "Public order", "Sexual offence", "Hate crime")),
    "ASB": (45, ("Youth nuisance", "Abusive behaviour", "Missiles thrown at vehicle", "Fare dispute", "Vandalism",
                 "Rowdy behaviour", "Smoking")),
    "Substance misuse": (10, ("Drunk and disorderly", "Drug use", "Spice use")),
    "Other": (10, ("Trespass", "Vulnerable person", "Suspicious package", "Medical emergency")),
}
REPORTERS = {
    "Bus": {"TfGM": 30, "GMP": 25, "Operator": 45}, "Metrolink": {"TfGM": 45, "GMP": 30, "Operator": 20, "BTP": 5},
    "Rail": {"BTP": 70, "TfGM": 10, "Operator": 20}, "Interchange": {"TfGM": 60, "GMP": 30, "Operator": 10},
}
DESCRIPTIONS = ("{sub} reported by driver at {place}", "{sub}: group of youths at {place}",
                "Passenger reported {sub} at {place}", "{sub} on board, CCTV requested",
                "{sub} near {place}, police informed")
TFGM_HOURS = (2, 1, 1, 0.5, 0.5, 1, 2, 4, 5, 4, 4, 4, 4, 5, 6, 8, 9, 8, 7, 7, 7, 6, 5, 3)


def btp_street_crime(world: DemoWorld, incoming: Path) -> list[Path]:
    """~250 crimes a month at GM's railway stations, in police.uk's street layout as BTP publishes it."""
    rng = rng_for(world.seed, "transport/btp_street_crime")
    stations = _placed(world, [(n, d, w) for n, d, w, _ in RAIL_STATIONS])
    weight = shares([s for *_, s in RAIL_STATIONS])
    geo, outcome_p = world.geo, shares([p for _, p in OUTCOMES])
    folder = incoming / "transport" / "demo"
    written = []
    for month in world.months:
        n = count_for(rng, BTP_MONTHLY * world.scale * (1 + 0.1 * np.cos(2 * np.pi * (month.month - 12) / 12)))
        station = rng.choice(len(stations), size=n, p=weight)
        lon, lat = world.directory.centre(stations[station])
        lsoa11 = geo.lsoa11_of[stations[station]]
        names = [RAIL_STATIONS[i][0] for i in station.tolist()]
        rows = zip([hashlib.sha256(f"btp-{month:%Y-%m}-{i}".encode()).hexdigest() for i in range(n)],
                   [f"{month:%Y-%m}"] * n, [BTP] * n, [BTP] * n, decimals(lon), decimals(lat),
                   [f"On or near {s} (station)" for s in names], geo.lsoa11[lsoa11],
                   geo.lsoa11_name[lsoa11], choose(rng, BTP_CRIME_TYPES, n),
                   np.array([o for o, _ in OUTCOMES], dtype=object)[rng.choice(len(OUTCOMES), size=n, p=outcome_p)],
                   [""] * n)
        written.append(write_csv(folder / f"{month:%Y-%m}-btp-street.csv", BTP_STREET.headers, rows,
                                 world.delivered("transport", "btp_street_crime", month, rng)))
    return written


def _placed(world: DemoWorld, places) -> np.ndarray:
    """A 2021 LSOA per place (station, stop): the busiest LSOA of its ward not yet taken (of its district if the ward
    is not found), so the places sit in the centres the street files make busy."""
    busy = lsoa_weights(world.geo, world.pattern)
    taken, chosen = set(), []
    for _, district, ward in places:
        candidates = world.geo.in_ward(district, ward) if ward else np.empty(0, dtype=int)
        if not len(candidates):
            candidates = world.geo.in_district(district)
        free = [c for c in candidates if c not in taken] or list(candidates)
        best = max(free, key=lambda c: busy[c])
        taken.add(best)
        chosen.append(best)
    return np.array(chosen)


def tfgm_incidents(world: DemoWorld, incoming: Path) -> list[Path]:
    """~400 incidents a month on buses, trams, trains and interchanges; a stop or route always, an LSOA for ~60%
    and a point for ~30% (a bus route has no single place); bonfire season brings missiles at buses."""
    rng = rng_for(world.seed, "transport/tfgm_incidents")
    places = {
        "Metrolink": [(f"Metrolink: {n}", d, w, s) for n, d, w, s in METROLINK_STOPS],
        "Rail": [(f"Rail: {n}", d, w, s) for n, d, w, s in RAIL_STATIONS],
        "Interchange": [(f"Interchange: {n}", d, w, s) for n, d, w, s in INTERCHANGES],
        "Bus": [(f"Bus route {n}", d, None, s) for n, d, s in BUS_ROUTES],
    }
    lsoas = {mode: _placed(world, [(n, d, w) for n, d, w, _ in p]) for mode, p in places.items()}
    busy = lsoa_weights(world.geo, world.pattern)
    folder = incoming / "transport" / "demo"
    written = []
    for month in world.months:
        seasonal = 1.25 if month.month in (10, 11) else 1.0
        n = count_for(rng, TFGM_MONTHLY * world.scale * seasonal)
        rows = _tfgm_rows(world, rng, month, n, places, lsoas, busy)
        written.append(write_csv(folder / f"{month:%Y-%m}-tfgm-incidents.csv", TFGM_INCIDENTS.headers, rows,
                                 world.delivered("transport", "tfgm_incidents", month, rng)))
    return written


def _tfgm_rows(world, rng, month, n, places, lsoas, busy) -> zip:
    geo, directory = world.geo, world.directory
    mode = choose(rng, MODES, n)
    label, lsoa, reporter = np.empty(n, dtype=object), np.zeros(n, dtype=int), np.empty(n, dtype=object)
    for m, options in places.items():
        rows = np.flatnonzero(mode == m)
        pick = rng.choice(len(options), size=len(rows), p=shares([s for *_, s in options]))
        label[rows] = np.array([o[0] for o in options], dtype=object)[pick]
        lsoa[rows] = lsoas[m][pick]
        reporter[rows] = choose(rng, REPORTERS[m], len(rows))
        if m == "Bus":  # somewhere along the route: a busy LSOA of the district it mostly runs in
            districts = np.array([options[p][1] for p in pick])
            for district in np.unique(districts):
                candidates = geo.in_district(district)
                along = rows[districts == district]
                lsoa[along] = rng.choice(candidates, size=len(along), p=shares(busy[candidates]))
    category = choose(rng, {c: s for c, (s, _) in INCIDENT_CATEGORIES.items()}, n)
    subs = [INCIDENT_CATEGORIES[c][1] for c in category]
    sub = np.array([options[int(r * len(options))] for options, r in zip(subs, rng.random(n))], dtype=object)
    when = np.sort(times_in(rng, month, n, TFGM_HOURS))
    lon, lat = directory.centre(lsoa)
    lon, lat = lon + rng.normal(0, 0.0005, n), lat + rng.normal(0, 0.0005, n)
    where = rng.random(n)             # LSOA only 45%, LSOA and point 15%, point only 15%, neither 25%
    with_lsoa, with_point = where < 0.60, (where >= 0.45) & (where < 0.75)
    spoken = [p.split(": ")[-1] if ": " in p else p.replace("Bus route ", "the ") + " bus" for p in label]
    text = [DESCRIPTIONS[int(r * len(DESCRIPTIONS))].format(sub=s, place=p)
            for s, p, r in zip(sub, spoken, rng.random(n))]
    return zip([f"TS{month:%y%m}{i + 1:05d}" for i in range(n)], iso_dates(when), clock(when), mode, label, category,
               sub, reporter, np.where(with_lsoa, geo.lsoa21[lsoa], "").astype(object), decimals(lon, 6, with_point),
               decimals(lat, 6, with_point), text)


# ---- STATS19: collisions in the DfT national layout, and TfGM's casualty table ------------------------------------

COLLISION_MONTHS = (1.00, 0.93, 0.98, 0.93, 0.98, 0.98, 1.00, 0.95, 1.02, 1.08, 1.12, 1.05)
# Weekday x hour: the school run and the evening rush on weekdays, late nights at weekends.
RUSH = np.array([(1, 1, 1, 1, 1, 2, 3, 7, 9, 5, 5, 5, 6, 6, 7, 9, 10, 10, 7, 5, 4, 3, 2, 1)] * 7, dtype=float)
RUSH[5:] = (3, 3, 2, 1, 1, 1, 1, 2, 3, 4, 6, 7, 7, 7, 7, 7, 7, 6, 5, 5, 4, 4, 3, 3)
DFT_DISTRICTS = {"E08000001": 100, "E08000002": 101, "E08000003": 102, "E08000004": 104, "E08000005": 106,
                 "E08000006": 107, "E08000007": 109, "E08000008": 110, "E08000009": 112, "E08000010": 114}
ROAD_NUMBERS = {1: (60, 61, 62, 56, 66, 602), 3: (6, 34, 56, 57, 58, 62, 580, 664, 5103, 6010),
                4: (5217, 5166, 6226, 6101)}
# Sunrise and sunset (local hours) by month in Manchester, for light conditions.
DAYLIGHT = ((8.3, 16.3), (7.5, 17.3), (6.5, 18.3), (6.3, 20.1), (5.3, 21.0), (4.7, 21.6), (5.1, 21.5), (5.9, 20.6),
            (6.8, 19.4), (7.7, 18.2), (7.5, 16.4), (8.2, 15.9))
CODED = {   # field: {code: share}, from the real DfT file's mix
    "first_road_class": {3: 57, 6: 21, 5: 12, 4: 9, 1: 1}, "road_type": {6: 60, 3: 17, 1: 7, 9: 7, 2: 6, 7: 3},
    "speed_limit": {30: 70, 40: 12, 20: 8, 50: 4, 60: 3, 70: 3},
    "junction_detail": {3: 31, 0: 23, 6: 14, 9: 8, 1: 7, 7: 4, 2: 2, 5: 2, 8: 2},
    "junction_control": {4: 65, 2: 30, 3: 2, 1: 1, 9: 2}, "second_road_class": {6: 65, 3: 20, 5: 10, 4: 5},
    "pedestrian_crossing_human_control": {0: 95, 9: 3, 2: 2},
    "pedestrian_crossing_physical_facilities": {0: 60, 5: 15, 1: 11, 4: 9, 8: 3, 7: 2},
    "weather_conditions": {1: 78, 2: 13, 9: 4, 8: 2, 7: 1, 4: 1, 5: 0.5, 3: 0.5},
    "road_surface_conditions": {1: 74, 2: 23, 4: 2, -1: 1},
    "special_conditions_at_site": {0: 96, 4: 2, 5: 1, 9: 1}, "carriageway_hazards": {0: 97, 2: 1, 6: 1, 9: 1},
    "urban_or_rural_area": {1: 94, 2: 6}, "did_police_officer_attend_scene_of_accident": {1: 80, 2: 18, 3: 2},
}


def stats19_collisions(world: DemoWorld, incoming: Path) -> list[Path]:
    """One file per calendar year of the demo's months, the last one ending with the last month (the demo: 2015-2017
    and January-March 2018), ~300 collisions a month, byte-for-byte in the DfT file's format (UTF-8 BOM, CRLF, no
    final newline, DD/MM/YYYY, HH:MM, -1 where not applicable). A year TfGM's table has no accidents for (it runs
    2010-2021) has no file."""
    rng = rng_for(world.seed, "transport/stats19_collisions")
    last_collision = world.months[-1] + timedelta(days=days_in(world.months[-1]) - 1)
    years = range(world.months[0].year, last_collision.year + 1)
    accidents = _real_accidents(years)
    busy = lsoa_weights(world.geo, world.pattern, power=0.7)
    folder = incoming / "transport" / "demo"
    written = []
    for year in (y for y in years if accidents[y]):
        rows = _collision_rows(world, rng, year, accidents[year], busy, last_collision)
        part = "" if year < last_collision.year or last_collision.month == 12 else f"-jan-{last_collision:%b}".lower()
        path = folder / f"dft-road-casualty-statistics-collision-{year}{part}-greater-manchester.csv"
        text = ",".join(DFT_COLLISIONS.headers) + "\r\n" + "\r\n".join(",".join(map(str, r)) for r in rows)
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        delivered = datetime.combine(last_collision + timedelta(days=24) if year == last_collision.year
                                     else date(year + 1, 2, 1) + timedelta(days=int(rng.integers(0, 28))), time(9, 30))
        stamp(path, delivered)
        written.append(path)
    return written


def _real_accidents(years: range) -> dict[int, list[tuple[str, int, int, int]]]:
    """(reference, casualties, worst severity, vehicles) for each accident of the given years in TfGM's casualty
    table, by year (an empty list for a year it does not cover)."""
    found = defaultdict(lambda: [0, 3, 1])
    with REAL_CASUALTIES.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if int(r["Year"]) in years:
                counts = found[(int(r["Year"]), r["Accident Index"][:-4])]
                counts[0] += 1
                counts[1] = min(counts[1], int(r["CasualtySeverity"]))
                counts[2] = max(counts[2], int(r["VehicleReferenceNumber"]))
    by_year = defaultdict(list)
    for (year, reference), (casualties, severity, vehicles) in sorted(found.items()):
        by_year[year].append((reference, casualties, severity, vehicles))
    return by_year


def _collision_rows(world, rng, year, accidents, busy, last_collision) -> list[list]:
    """The year's real accidents, each given a date and time (the last year's file keeps those falling by its last
    month), sampled
    at `scale` (at least a handful; at most all of them), and a place and road detail."""
    month = rng.choice(12, size=len(accidents), p=shares(COLLISION_MONTHS))
    when = np.empty(len(accidents), dtype="datetime64[s]")
    for m in range(12):
        rows = np.flatnonzero(month == m)
        when[rows] = times_in(rng, date(year, m + 1, 1), len(rows), RUSH)
    in_file = np.flatnonzero(when < np.datetime64(last_collision + timedelta(days=1)))
    keep = in_file[rng.random(len(in_file)) < world.scale]
    keep = keep if len(keep) >= 5 else in_file[:5]
    order = keep[np.argsort(when[keep], kind="stable")]
    accidents, when, n = [accidents[i] for i in order], when[order], len(order)
    geo, directory = world.geo, world.directory
    lsoa = rng.choice(len(geo.lsoa21), size=n, p=busy)
    at = directory.pick(rng, lsoa)
    lon, lat = directory.lon[at] + rng.normal(0, 0.0006, n), directory.lat[at] + rng.normal(0, 0.0006, n)
    east, north = easting_northing(lon, lat)
    coded = {field: rng.choice(list(mix), size=n, p=shares(list(mix.values()))) for field, mix in CODED.items()}
    junction = coded["junction_detail"] > 0
    road_class = coded["first_road_class"]
    local = when.astype(object)
    hours = np.array([t.hour + t.minute / 60 for t in local])
    sunrise, sunset = np.array([DAYLIGHT[t.month - 1] for t in local]).T
    dark = (hours < sunrise) | (hours > sunset)
    light = np.where(dark, rng.choice([4, 5, 6, 7], size=n, p=[0.85, 0.05, 0.05, 0.05]), 1)
    weather = coded["weather_conditions"]
    surface = np.where(np.isin(weather, (2, 5)), 2,          # wet when it rains, snow when it snows
                       np.where(np.isin(weather, (3, 6)), 3, coded["road_surface_conditions"]))
    rows = []
    for i, ((reference, casualties, severity, vehicles), t) in enumerate(zip(accidents, local)):
        district = geo.district[lsoa[i]]
        rows.append([
            f"{year}{reference}", year, reference, round(east[i]), round(north[i]), f"{lon[i]:.6f}", f"{lat[i]:.6f}",
            GREATER_MANCHESTER_FORCE, severity, vehicles, casualties, f"{t:%d/%m/%Y}",
            (t.weekday() + 1) % 7 + 1, f"{t:%H:%M}",  # DfT's day_of_week: 1 is Sunday
            DFT_DISTRICTS[district], district, district, road_class[i],
            ROAD_NUMBERS[road_class[i]][i % len(ROAD_NUMBERS[road_class[i]])] if road_class[i] in ROAD_NUMBERS else 0,
            coded["road_type"][i], coded["speed_limit"][i], coded["junction_detail"][i],
            coded["junction_control"][i] if junction[i] else -1, coded["second_road_class"][i] if junction[i] else 0,
            0 if junction[i] else -1, coded["pedestrian_crossing_human_control"][i],
            coded["pedestrian_crossing_physical_facilities"][i], light[i], coded["weather_conditions"][i], surface[i],
            coded["special_conditions_at_site"][i], coded["carriageway_hazards"][i], coded["urban_or_rural_area"][i],
            coded["did_police_officer_attend_scene_of_accident"][i], 1 if road_class[i] == 1 else 2,
            geo.lsoa11[geo.lsoa11_of[lsoa[i]]],
        ])
    return rows


def stats19_casualties(world: DemoWorld, incoming: Path) -> list[Path]:
    """TfGM's real casualty table, unchanged, as the transport partner would deliver it."""
    copy = incoming / "transport" / REAL_CASUALTIES.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REAL_CASUALTIES, copy)
    stamp(copy, CASUALTIES_DELIVERED)
    return [copy]


GENERATORS = (btp_street_crime, tfgm_incidents, stats19_collisions, stats19_casualties)
