"""Demo feeds for the fire and ambulance services, in their contracts' formats (see demo.partners).

Fire follows the London Fire Brigade open-data layout, value formats and quirks included ('01 Sep 2016', '319.0',
a trailing space in PropertyType), with the casualty and Motive columns a service recording them appends. Ambulance
follows the hub's ISTV-based contract. Transport feeds are in demo.transport.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from demo.data import STREETS
from demo.places import (
    DemoWorld, Repeats, choose, clock, count_for, decimals, easting_northing, iso_dates, labelled, lsoa_weights,
    rng_for, scrambled, shares, times_in, write_csv,
)
from demo.transport import GENERATORS as TRANSPORT_GENERATORS
from loaders.ambulance import AMBULANCE_CALLOUTS
from loaders.fire import FIRE_INCIDENTS

FIRE_MONTHLY = 2_400
FIRE_CORRECTED = date(2016, 9, 1)
AMBULANCE_CORRECTED = date(2017, 2, 1)
CORRECTION_DELAY_DAYS = 7
# Corrections go in a subfolder: the hub loads a partner's files in path order, and 'X-corrected.csv' sorts before
# 'X.csv', so beside it the first delivery would load last and replace its own correction.
REDELIVERED = "redelivered"
DAYTIME = (2, 2, 1, 1, 1, 1, 2, 4, 6, 7, 8, 8, 8, 8, 8, 8, 8, 7, 6, 5, 4, 4, 3, 3)
EVENING = (5, 4, 3, 2, 2, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 9, 9, 8, 7, 6)
# Secondary fires: a spring peak (dry grass, April) and bonfire season; relative to an average month.
SECONDARY_BY_MONTH = (0.6, 0.7, 1.2, 1.9, 1.4, 1.1, 1.1, 1.0, 0.8, 0.9, 1.3, 0.6)
# (stop code, incident group, share of all incidents, hours, seasonal amplitude, peak month)
STOP_CODES = (
    ("AFA", "False Alarm", 0.340, DAYTIME, 0.05, 1),
    ("False alarm - Good intent", "False Alarm", 0.048, EVENING, 0.15, 7),
    ("False alarm - Malicious", "False Alarm", 0.012, EVENING, 0.10, 11),
    ("Secondary Fire", "Fire", 0.150, EVENING, 0.0, 4),
    ("Primary Fire", "Fire", 0.0875, EVENING, 0.10, 1),
    ("Chimney Fire", "Fire", 0.0125, EVENING, 0.90, 1),
    ("Special Service", "Special Service", 0.350, DAYTIME, 0.10, 12),
)
PROPERTIES = {
    "Dwelling": ("House - single occupancy ", "Purpose Built Flats/Maisonettes - Up to 3 storeys ",
                 "Purpose Built Flats/Maisonettes - 4 to 9 storeys ", "Converted Flat/Maisonettes - 3 or more storeys ",
                 "Bungalow - single occupancy ", "Self contained Sheltered Housing "),
    "Non Residential": ("Supermarket ", "Hospital ", "Secondary school ", "Primary school ",
                        "Offices and call centres ", "Restaurant/cafe ", "Warehouse ", "Factory ", "Pub/wine bar/bar ",
                        "Shopping Centre "),
    "Other Residential": ("Student Hall of Residence ", "Nursing/Care Home/Hospice ", "Hotel/motel "),
    "Outdoor": ("Loose refuse ", "Grassland, pasture, grazing etc ", "Scrub land ", "Tree scrub ", "Park ",
                "Road surface/pavement ", "Domestic garden (vegetation not equipment) ", "Canal/riverbank vegetation "),
    "Outdoor Structure": ("Small refuse/rubbish container", "Wheelie Bin ", "Fence ", "Garden shed ",
                          "Refuse/rubbish tip ", "Bus shelter "),
    "Road Vehicle": ("Car ", "Car ", "Car ", "Van ", "Motorcycle ", "Multiple Vehicles ", "Bus/coach "),
}
PROPERTY_MIX = {
    "AFA": {"Dwelling": 35, "Non Residential": 45, "Other Residential": 20},
    "False alarm - Good intent": {"Outdoor": 40, "Dwelling": 35, "Non Residential": 15, "Road Vehicle": 10},
    "False alarm - Malicious": {"Outdoor": 35, "Dwelling": 35, "Non Residential": 30},
    "Secondary Fire": {"Outdoor": 65, "Outdoor Structure": 28, "Road Vehicle": 4, "Non Residential": 3},
    "Primary Fire": {"Dwelling": 55, "Road Vehicle": 22, "Non Residential": 15, "Other Residential": 4,
                     "Outdoor Structure": 4},
    "Chimney Fire": {"Dwelling": 1},
}
# Special service type: (share, property mix)
SPECIAL_SERVICES = {
    "RTC": (20, {"Road Vehicle": 1}),
    "Effecting entry/exit": (16, {"Dwelling": 90, "Non Residential": 10}),
    "Flooding": (12, {"Dwelling": 80, "Non Residential": 20}),
    "Assist other agencies": (10, {"Dwelling": 60, "Outdoor": 40}),
    "Lift Release": (6, {"Dwelling": 60, "Non Residential": 40}),
    "Making Safe (not RTC)": (6, {"Outdoor": 50, "Dwelling": 50}),
    "Medical Incident": (5, {"Dwelling": 70, "Outdoor": 30}),
    "Animal assistance incidents": (4, {"Outdoor": 60, "Dwelling": 40}),
    "Removal of objects from people": (3, {"Non Residential": 60, "Dwelling": 40}),
    "Other rescue/release of persons": (3, {"Outdoor": 60, "Dwelling": 40}),
    "Advice Only": (3, {"Dwelling": 60, "Non Residential": 40}),
    "No action (not false alarm)": (3, {"Dwelling": 50, "Outdoor": 50}),
    "Suicide/attempts": (2, {"Outdoor": 60, "Dwelling": 40}),
    "Hazardous Materials incident": (2, {"Non Residential": 60, "Outdoor": 40}),
    "Spills and Leaks (not RTC)": (2, {"Outdoor": 1}),
    "Stand By": (2, {"Non Residential": 1}),
    "Rescue or evacuation from water": (1, {"Outdoor": 1}),
}
ADDRESS_QUALIFIERS = {
    "building": {"Correct incident location": 85, "Within same building": 10, "On land associated with building": 5},
    "Outdoor": {"In street outside gazetteer location": 40, "On land associated with building": 25,
                "Open land/water - nearest gazetteer location": 20, "In street close to gazetteer location": 15},
    "Road Vehicle": {"In street close to gazetteer location": 50, "In street outside gazetteer location": 30,
                     "On motorway / elevated road": 10, "Nearby address - street not listed in gazetteer": 10},
}
MOTIVES = {   # by stop code, then (for primary fires) by property category; non-fires have none
    "Secondary Fire": {"Deliberate": 70, "Accidental": 20, "Not known": 10},
    "Road Vehicle": {"Deliberate": 50, "Doubtful": 8, "Accidental": 37, "Not known": 5},
    "Dwelling": {"Deliberate": 8, "Doubtful": 4, "Accidental": 83, "Not known": 5},
    "Primary Fire": {"Deliberate": 20, "Doubtful": 5, "Accidental": 68, "Not known": 7},
    "Chimney Fire": {"Accidental": 97, "Not known": 3},
}
PUMPS = {"Primary Fire": (2, 4), "AFA": (1, 3), "Special Service": (1, 3)}   # [low, high) pumps; others send one
STATIONS = {
    "E08000001": ("Bolton Central", "Bolton North", "Farnworth", "Horwich", "Westhoughton"),
    "E08000002": ("Bury", "Whitefield", "Ramsbottom"),
    "E08000003": ("Manchester Central", "Philips Park", "Moss Side", "Gorton", "Blackley", "Withington", "Wythenshawe"),
    "E08000004": ("Oldham", "Hollins", "Chadderton", "Shaw"),
    "E08000005": ("Rochdale", "Heywood", "Littleborough", "Middleton"),
    "E08000006": ("Salford", "Eccles", "Agecroft", "Irlam", "Swinton", "Broughton"),
    "E08000007": ("Stockport", "Whitehill", "Cheadle", "Marple", "Offerton"),
    "E08000008": ("Ashton", "Hyde", "Stalybridge", "Mossley", "Droylsden"),
    "E08000009": ("Altrincham", "Sale", "Stretford", "Urmston"),
    "E08000010": ("Wigan", "Hindley", "Leigh", "Atherton", "Orrell", "Standish"),
}
PUMP_HOUR_COST = {2015: 326, 2016: 328, 2017: 333}     # notional £ per pump hour, by financial year
UPRN_BASE, DWELLINGS_PER_LSOA, PREMISES_PER_LSOA = 100_010_000_000, 40, 6


def fire_incidents(world: DemoWorld, incoming: Path) -> list[Path]:
    """~2,400 incidents a month: ~40% false alarms, ~25% fires, ~35% special services. Deliberate secondary fires
    concentrate in hotspot wards (where ASB and criminal damage are); bonfire night and April carry the peaks."""
    rng = rng_for(world.seed, "fire/incidents")
    geo = world.geo
    ward_codes = np.unique(geo.ward)
    hotspot_ward = dict(zip(ward_codes, rng.lognormal(0, 0.6, size=len(ward_codes))))
    hotspot = lsoa_weights(geo, world.pattern, ("Anti-social behaviour", "Criminal damage and arson"), power=1.6)
    hotspot = shares(hotspot * np.array([hotspot_ward[w] for w in geo.ward]))
    places = {"hotspot": hotspot, "general": lsoa_weights(geo, world.pattern, power=0.8)}
    ground = _station_grounds(geo)
    folder = incoming / "fire" / "demo"
    written = []
    for month in world.months:
        n = {code: count_for(rng, FIRE_MONTHLY * world.scale * share * _season(code, month, amplitude, peak), 1)
             for code, _, share, _, amplitude, peak in STOP_CODES}
        rows = _fire_rows(world, rng, month, n, places, ground)
        delivered = world.delivered("fire", "incidents", month, rng)
        name = f"{month:%Y-%m}-gmfrs-incidents"
        if month == FIRE_CORRECTED:
            rows, corrected = _correction(rng, rows, _amend_fire)
        written.append(write_csv(folder / f"{name}.csv", FIRE_INCIDENTS.headers, rows, delivered))
        if month == FIRE_CORRECTED:
            written.append(write_csv(folder / REDELIVERED / f"{name}-corrected.csv", FIRE_INCIDENTS.headers,
                                     corrected, delivered + timedelta(days=CORRECTION_DELAY_DAYS)))
    return written


def _station_grounds(geo) -> dict[str, str]:
    """Each ward's station ground: the district's station named like the ward where there is one (Farnworth, Moss
    Side), else the district's stations in turn."""
    ground = {}
    for i, (ward, name, district) in enumerate(sorted(set(zip(geo.ward, geo.ward_name, geo.district)))):
        named = [s for s in STATIONS[district] if s.split()[0] in name]
        ground[ward] = named[0] if named else STATIONS[district][i % len(STATIONS[district])]
    return ground


def _season(code: str, month: date, amplitude: float, peak: int) -> float:
    if code == "Secondary Fire":
        return SECONDARY_BY_MONTH[month.month - 1]
    return 1 + amplitude * np.cos(2 * np.pi * (month.month - peak) / 12)


def _bonfire_days(month: date, code: str) -> np.ndarray | None:
    """Secondary fires pile up in the days to 5 November."""
    if code != "Secondary Fire" or month.month != 11:
        return None
    days = np.ones(30)
    days[:3], days[3], days[4], days[5] = 1.5, 3, 8, 3
    return days


def _fire_rows(world, rng, month, n, places, ground) -> list[list[str]]:
    """The month's incidents in call order, as the LFB layout writes them."""
    geo, directory = world.geo, world.directory
    parts = [_incidents(rng, month, code, group, n[code], hours, places, len(geo.lsoa21))
             for code, group, _, hours, _, _ in STOP_CODES]
    when, code, group, special, category, motive, lsoa = (np.concatenate(column) for column in zip(*parts))
    order = np.argsort(when, kind="stable")
    when, code, group, special, category, motive, lsoa = (
        c[order] for c in (when, code, group, special, category, motive, lsoa))
    total = len(when)
    at = directory.pick(rng, lsoa)
    lon, lat = directory.lon[at] + rng.normal(0, 0.0004, total), directory.lat[at] + rng.normal(0, 0.0004, total)
    east, north = easting_northing(lon, lat)
    with_postcode = rng.random(total) < np.where(category == "Dwelling", 0.25, 0.95)  # most homes' held back (LFB)
    with_point = with_postcode | (rng.random(total) < 0.5)
    pumps = np.ones(total, dtype=int)
    for key, (low, high) in PUMPS.items():
        pumps[code == key] = rng.integers(low, high, size=int((code == key).sum()))
    big = (code == "Primary Fire") & (category == "Non Residential")
    pumps[big] += rng.integers(0, 4, size=int(big.sum()))
    attended = rng.random(total) >= 0.04
    two = (pumps > 1) & attended
    first_pump = np.round(rng.lognormal(np.log(330), 0.35, total))
    second_pump = first_pump + rng.integers(20, 240, total)
    minutes = np.maximum(60, np.round(pumps * rng.gamma(2.0, np.where(group == "Fire", 40, 25)))).astype(int)
    cost = np.round(minutes * _pump_hour_cost(month) / 60)
    district, ward = geo.district[lsoa], geo.ward[lsoa]
    stations = [STATIONS[d] for d in district]
    station_ground = np.array([ground[w] for w in ward], dtype=object)
    other = np.array([s[int(r * len(s))] for s, r in zip(stations, rng.random(total))], dtype=object)
    first_station = np.where(rng.random(total) < 0.85, station_ground, other)
    second_station = np.array([s[int(r * len(s))] for s, r in zip(stations, rng.random(total))], dtype=object)
    kind = np.where(np.isin(category, ("Outdoor", "Outdoor Structure")), "Outdoor",
                    np.where(category == "Road Vehicle", "Road Vehicle", "building"))
    qualifier = np.empty(total, dtype=object)
    for k in np.unique(kind):
        qualifier[kind == k] = choose(rng, ADDRESS_QUALIFIERS[k], int((kind == k).sum()))
    property_type = [PROPERTIES[c][int(r * len(PROPERTIES[c]))] for c, r in zip(category, rng.random(total))]
    calls = np.minimum(rng.geometric(np.where(np.isin(code, ("Secondary Fire", "Primary Fire")), 0.6, 0.85)), 7)
    fatal, injured = _casualties(rng, code, category)
    usrn = decimals(84_000_000 + lsoa * 20 + rng.integers(0, 20, total), 1, rng.random(total) < 0.4)
    blank = np.full(total, "", dtype=object)
    day = when.astype("datetime64[D]")
    columns = (
        [f"{month:%y%m}{i + 1:05d}" for i in range(total)], labelled(day, lambda d: f"{d:%d %b %Y}"),
        [str(month.year)] * total, clock(when, seconds=True), labelled((when - day).astype("int64") // 3600, str),
        group, code, special, category, property_type, qualifier,
        np.where(with_postcode, directory.postcode[at], blank), directory.outward[at], _uprns(rng, lsoa, category),
        usrn, district, labelled(geo.district_name[lsoa], str.upper), geo.district_name[lsoa], ward,
        geo.ward_name[lsoa], geo.ward_name[lsoa], decimals(np.round(east), 1, with_point),
        decimals(np.round(north), 1, with_point), labelled(np.round(east / 50).astype(int) * 50, str),
        labelled(np.round(north / 50).astype(int) * 50, str), decimals(lat, 10, with_point),
        decimals(lon, 10, with_point), ["Greater Manchester"] * total, station_ground,
        decimals(first_pump, 1, attended), np.where(attended, first_station, blank), decimals(second_pump, 1, two),
        np.where(two, second_station, blank), decimals(np.minimum(pumps, 1 + (pumps > 2)), 1), decimals(pumps, 1),
        labelled(pumps, str), decimals(minutes, 1), decimals(cost, 1), decimals(calls, 1), labelled(fatal, str),
        labelled(injured, str), motive,
    )
    return [list(row) for row in zip(*columns)]


def _pump_hour_cost(month: date) -> int:
    """The month's financial year's cost; a year before or after the table takes its first or last year's."""
    year = month.year - (month.month < 4)
    return PUMP_HOUR_COST[min(max(year, min(PUMP_HOUR_COST)), max(PUMP_HOUR_COST))]


def _incidents(rng, month, code, group, k, hours, places, lsoas) -> tuple[np.ndarray, ...]:
    """k incidents of one stop code: when, what, which property, motive and LSOA (deliberate ones in hotspots)."""
    when = times_in(rng, month, k, hours, _bonfire_days(month, code))
    special = np.full(k, "", dtype=object)
    category = np.empty(k, dtype=object)
    if group == "Special Service":
        special = choose(rng, {t: s for t, (s, _) in SPECIAL_SERVICES.items()}, k)
        for service in np.unique(special):
            rows = special == service
            category[rows] = choose(rng, SPECIAL_SERVICES[service][1], int(rows.sum()))
    else:
        category = choose(rng, PROPERTY_MIX[code], k)
    mix = np.full(k, code, dtype=object)
    if code == "Primary Fire":  # vehicle fires are far more often deliberate than fires in homes
        own = np.isin(category, ("Road Vehicle", "Dwelling"))
        mix[own] = category[own]
    motive = np.full(k, "", dtype=object)
    for key in np.unique(mix):
        if key in MOTIVES:
            motive[mix == key] = choose(rng, MOTIVES[key], int((mix == key).sum()))
    deliberate = (motive == "Deliberate") | (code == "False alarm - Malicious")
    lsoa = np.where(deliberate, rng.choice(lsoas, size=k, p=places["hotspot"]),
                    rng.choice(lsoas, size=k, p=places["general"]))
    return when, np.full(k, code, dtype=object), np.full(k, group, dtype=object), special, category, motive, lsoa


def _casualties(rng, code, category) -> tuple[np.ndarray, np.ndarray]:
    """Deaths and injuries (excluding precautionary checks) in primary fires, far more often in homes: about 1 in 80
    dwelling fires kills someone and 1 in 4 injures someone (demo rates, not measured ones). A fire with
    casualties is primary by definition, so secondary fires and the other incidents record none."""
    primary = code == "Primary Fire"
    dwelling = primary & (category == "Dwelling")
    fatal = rng.poisson(np.where(dwelling, 0.012, np.where(primary, 0.002, 0.0)))
    injured = rng.poisson(np.where(dwelling, 0.25, np.where(primary, 0.05, 0.0)))
    return fatal, injured


def _uprns(rng, lsoa, category) -> list[str]:
    """Half the dwellings and most premises carry a UPRN from a pool per LSOA, so a house or a building with a
    faulty alarm comes back (the first few of each pool far more often)."""
    dwelling, premises = category == "Dwelling", np.isin(category, ("Non Residential", "Other Residential"))
    slot = np.where(dwelling, np.minimum(rng.geometric(0.08, len(lsoa)) - 1, DWELLINGS_PER_LSOA - 1),
                    DWELLINGS_PER_LSOA + np.minimum(rng.geometric(0.35, len(lsoa)) - 1, PREMISES_PER_LSOA - 1))
    number = UPRN_BASE + scrambled(lsoa * (DWELLINGS_PER_LSOA + PREMISES_PER_LSOA) + slot, 8)
    given = (dwelling & (rng.random(len(lsoa)) < 0.5)) | (premises & (rng.random(len(lsoa)) < 0.6))
    return [f"{u}.0" if g else "" for u, g in zip(number.tolist(), given)]


def _amend_fire(row: list[str]) -> list[str]:
    """Investigation settles a fire's motive ('Not known' or 'Doubtful' becomes 'Deliberate'), or a call is found to
    have been malicious."""
    if row[-1] in ("Not known", "Doubtful"):
        return row[:-1] + ["Deliberate"]
    if row[6] == "False alarm - Good intent":
        return row[:6] + ["False alarm - Malicious"] + row[7:]
    return row[:13] + [""] + row[14:] if row[13] else row  # a UPRN recorded in error is withdrawn


def _correction(rng, rows: list[list[str]], amend) -> tuple[list[list[str]], list[list[str]]]:
    """The first delivery of a month lacks a few late-logged records; the corrected one has them, and a few records
    amended. A later delivery of the same month replaces the first whole."""
    late = set(rng.choice(len(rows), size=min(len(rows) - 1, 4), replace=False).tolist())
    first = [r for i, r in enumerate(rows) if i not in late]
    amended = set(rng.choice(len(rows), size=min(len(rows), 6), replace=False).tolist())
    corrected = [amend(r) if i in amended else r for i, r in enumerate(rows)]
    return first, corrected


# ---- ambulance: assault and alcohol-related call-outs (ISTV-based) ---------------------------------------------------

AMBULANCE_MONTHLY = 900
# Weekday x hour: Friday and Saturday nights (and the small hours after them) carry the peak.
NIGHTS = np.array([(3, 2, 2, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4)] * 7, dtype=float)
NIGHTS[4, 20:] = NIGHTS[5, 20:] = (9, 11, 13, 14)
NIGHTS[5, :5] = NIGHTS[6, :5] = (14, 12, 9, 5, 3)
CITY_CENTRE_WARDS = ("Deansgate", "Piccadilly", "Ancoats & Beswick")
CITY_CENTRE_BOOST = 8
CATEGORIES = {"Assault": 55, "Assault - domestic": 15, "Assault - sexual": 3, "Alcohol related": 27}
METHODS = {"Body part": 60, "Blunt object": 10, "Sharp object": 8, "Firearm": 0.3, "Other": 7, "Unknown": 15}
LOCATION_TYPES = {"Street": 40, "Licensed premises": 18, "Home": 27, "Workplace": 4, "Public transport": 3,
                  "Other": 5, "Unknown": 3}
AGES = {"0-9": 1, "10-17": 7, "18-24": 28, "25-34": 27, "35-44": 17, "45-54": 11, "55-64": 5, "65+": 3, "Unknown": 1}
BARS = ("Yates", "Wetherspoons", "The Crown", "The Red Lion", "Walkabout", "Revolution", "The Swan", "Tiger Tiger")
DESCRIPTIONS = {
    "Street": ("Junction of {street} and {other}", "Bus stop on {street}", "Outside takeaway, {street}",
               "Car park off {street}", "Alleyway behind {street}"),
    "Licensed premises": ("Outside {bar} bar, {street}", "Inside {bar}, {street}", "Smoking area of {bar}"),
    "Home": ("Private address", "Residential address, {street}", "Flat above shop, {street}"),
    "Workplace": ("Shop, {street}", "Supermarket car park, {street}", "Hospital A&E department"),
    "Public transport": ("Metrolink platform", "On bus on {street}", "Railway station concourse"),
    "Other": ("Park off {street}", "Playing fields near {street}", "Hotel lobby, {street}"),
    "Unknown": ("", "Not recorded"),
}


def ambulance_callouts(world: DemoWorld, incoming: Path) -> list[Path]:
    """~900 call-outs a month, peaking on Friday and Saturday nights and in December, heaviest in Manchester city
    centre and wherever violence is; ~10% of patients seen before."""
    rng = rng_for(world.seed, "ambulance/callouts")
    geo = world.geo
    weights = lsoa_weights(geo, world.pattern, ("Violence and sexual offences", "Public order"), power=1.2)
    weights = shares(weights * np.where(np.isin(geo.ward_name, CITY_CENTRE_WARDS) & (geo.district == "E08000003"),
                                        CITY_CENTRE_BOOST, 1))
    patients = Repeats(rng, lambda v: f"P{v:09d}", 9, memory=36)
    folder = incoming / "ambulance" / "demo"
    written = []
    for month in world.months:
        seasonal = 1.25 if month.month == 12 else 1 + 0.08 * np.cos(2 * np.pi * (month.month - 7) / 12)
        rows = _ambulance_rows(world, rng, month, count_for(rng, AMBULANCE_MONTHLY * world.scale * seasonal),
                               weights, patients)
        delivered = world.delivered("ambulance", "callouts", month, rng)
        name = f"{month:%Y-%m}-nwas-callouts"
        if month == AMBULANCE_CORRECTED:
            rows, corrected = _correction(rng, rows, _amend_ambulance)
        written.append(write_csv(folder / f"{name}.csv", AMBULANCE_CALLOUTS.headers, rows, delivered))
        if month == AMBULANCE_CORRECTED:
            written.append(write_csv(folder / REDELIVERED / f"{name}-corrected.csv", AMBULANCE_CALLOUTS.headers,
                                     corrected, delivered + timedelta(days=CORRECTION_DELAY_DAYS)))
    return written


def _ambulance_rows(world, rng, month, n, weights, patients) -> list[list[str]]:
    directory = world.directory
    when = np.sort(times_in(rng, month, n, NIGHTS))
    category = choose(rng, CATEGORIES, n)
    assault = category != "Alcohol related"
    method = np.where(assault, choose(rng, METHODS, n), "").astype(object)
    place = choose(rng, LOCATION_TYPES, n)
    domestic = category == "Assault - domestic"
    place[domestic] = np.where(rng.random(int(domestic.sum())) < 0.85, "Home", place[domestic])
    alcohol = np.where(~assault, "Y", choose(rng, {"Y": 45, "N": 35, "": 20}, n)).astype(object)
    sex = choose(rng, {"Male": 65, "Female": 33, "Unknown": 2}, n)
    mostly_women = domestic | (category == "Assault - sexual")
    sex[mostly_women] = choose(rng, {"Female": 80, "Male": 20}, int(mostly_women.sum()))
    at = directory.pick(rng, rng.choice(len(weights), size=n, p=weights))
    where = rng.random(n)                      # postcode ~75% (half with the point too), point only ~15%, neither ~10%
    postcode = np.where(where < 0.75, directory.postcode[at], "").astype(object)
    point = (where >= 0.75) & (where < 0.90) | (where < 0.375)
    lon, lat = directory.lon[at] + rng.normal(0, 0.0005, n), directory.lat[at] + rng.normal(0, 0.0005, n)
    streets = rng.integers(0, 10, size=(n, 2))
    texts = [_description(p, STREETS[a], STREETS[b], BARS[a % len(BARS)], r)
             for p, (a, b), r in zip(place, streets.tolist(), rng.random(n))]
    columns = ([f"{month:%y%m}{i + 1:05d}" for i in range(n)], iso_dates(when), clock(when), category, method, place,
               texts, postcode, decimals(lon, 6, point), decimals(lat, 6, point), alcohol, choose(rng, AGES, n), sex,
               patients.draw(np.full(n, 0.10)))
    return [list(row) for row in zip(*columns)]


def _description(place: str, street: str, other: str, bar: str, draw: float) -> str:
    options = DESCRIPTIONS[place]
    return options[int(draw * len(options))].format(street=street, other=other, bar=bar)


def _amend_ambulance(row: list[str]) -> list[str]:
    """Clinical review fills in what the crew left blank (alcohol involvement, an 'Unknown' age band) and finds an
    assault at home was domestic."""
    row = list(row)
    row[10] = row[10] or "Y"
    row[11] = "25-34" if row[11] == "Unknown" else row[11]
    row[3] = "Assault - domestic" if row[3] == "Assault" and row[5] == "Home" else row[3]
    return row


GENERATORS = (fire_incidents, ambulance_callouts, *TRANSPORT_GENERATORS)
