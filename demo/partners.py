"""The demo data set for every partner feed, in each partner's own format, April 2015 to March 2018, from a seed.

demo.data writes police.uk's street files; this writes everything else the hub takes, into
incoming/<partner>/demo/: the postcode directory (reference), police stop and search and recorded crime, the
probation caseload, fire incidents, ambulance call-outs, and transport (BTP crime, TfGM incidents, STATS19). Places,
times and deliveries come from demo.places; fire and ambulance are made in demo.services,
transport in demo.transport.

The feeds agree with each other as a partnership's would: recorded crime is the street files' crimes with the
detail police.uk hides, some of its named suspects are on that month's probation caseload under the same reference,
and where fires, assaults and offenders' homes cluster follows where the street files put the crime. Every file's
mtime is its delivery time, a few of them late, and two months are re-delivered corrected, as partners do.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from demo.data import month_list
from demo.places import (
    CRIME_TYPE_NAMES, Deliveries, DemoWorld, Repeats, choose, clock, count_for, crn, days_in, decimals, flags,
    iso_dates, lsoa_weights, points_near, read_geography, read_street_files, rng_for, scrambled, shares, times_in,
    to_utc, write_csv, write_directory,
)
from demo.services import GENERATORS as SERVICE_GENERATORS
from loaders.police_recorded_crime import POLICE_RECORDED_CRIME
from loaders.police_uk import POLICE_UK_STOP_SEARCH
from loaders.probation import PROBATION_CASELOAD
from warehouse.paths import PROJECT_DIR

HO_OFFENCE_CODES = PROJECT_DIR / "seeds" / "police" / "ho_offence_codes.csv"


def generate_partner_feeds(incoming: Path, street_files: list[Path], *, scale: float = 1.0, seed: int = 2016,
                           months: list[date] | None = None) -> list[Path]:
    """Write every partner's demo files for `months` (the street files' months; the demo's three years unless given)
    under incoming/<partner>/demo/ (the real Trafford postcode directory and the real TfGM casualty table beside them)
    and return the paths, the directory first."""
    months = tuple(months or month_list())
    geo = read_geography()
    pattern = read_street_files(geo, street_files)
    directory, written = write_directory(geo, pattern, incoming, rng_for(seed, "reference/postcode_directory"),
                                         months[0])
    world = DemoWorld(geo, pattern, directory, months, Deliveries(seed, months), scale, seed)
    caseload_files, on_probation = probation_caseload(world, incoming)
    written += stop_search(world, incoming) + recorded_crime(world, incoming, on_probation) + caseload_files
    for generate in SERVICE_GENERATORS:
        written += generate(world, incoming)
    return written


# ---- police: stop and search, in police.uk's layout ----------------------------------------------------------------

STOP_SEARCH_MONTHLY = 450
STOP_SEARCH_TREND = 0.93            # a year on year fall, as stop and search fell nationally after 2014
NEW_OUTCOME_WORDING = date(2018, 1, 1)  # police.uk's outcome vocabulary changed in the real 2018 files
STOP_SEARCH_HOURS = (6, 4, 3, 2, 1, 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 7, 8, 8, 8, 9, 9, 8, 7)
SEARCH_TYPES = {"Person search": 84, "Person and Vehicle search": 11.5, "Vehicle search": 4.5}
GENDERS = {"Male": 78, "Female": 7, "": 15}
AGE_RANGES = {"": 22, "18-24": 22, "10-17": 19, "over 34": 18, "25-34": 18, "under 10": 0.6}
# Self-defined ethnicity, as in the real GMP files, with the officer-defined group it usually goes with.
ETHNICITIES = {
    "White - English/Welsh/Scottish/Northern Irish/British": (58, "White"),
    "Other ethnic group - Not stated": (8, ""),
    "Asian/Asian British - Pakistani": (6.5, "Asian"),
    "Black/African/Caribbean/Black British - African": (5.3, "Black"),
    "": (4.4, ""),
    "Black/African/Caribbean/Black British - Caribbean": (3.2, "Black"),
    "White - Any other White background": (2.8, "White"),
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background": (2.7, "Black"),
    "Asian/Asian British - Any other Asian background": (1.8, "Asian"),
    "Mixed/Multiple ethnic groups - White and Black Caribbean": (1.6, "Black"),
    "White - Irish": (1.1, "White"),
    "Asian/Asian British - Bangladeshi": (0.9, "Asian"),
    "Other ethnic group - Any other ethnic group": (0.7, "Other"),
    "Other ethnic group - Arab": (0.7, "Other"),
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": (0.5, "Other"),
    "Asian/Asian British - Indian": (0.4, "Asian"),
}
# (legislation, share, {object of search: share})
LEGISLATION = (
    ("Police and Criminal Evidence Act 1984 (section 1)", 56, {
        "Article for use in theft": 32, "Offensive weapons": 28, "Stolen goods": 24,
        "Anything to threaten or harm anyone": 12, "Articles for use in criminal damage": 4}),
    ("Misuse of Drugs Act 1971 (section 23)", 43, {"Controlled drugs": 1}),
    ("Firearms Act 1968 (section 47)", 1, {"Firearms": 1}),
    ("Criminal Justice and Public Order Act 1994 (section 60)", 0.2, {"Offensive weapons": 1}),
)
OUTCOMES_UNTIL_2017 = {
    "Nothing found - no further action": 70, "Suspect arrested": 15, "Offender given drugs possession warning": 5,
    "Local resolution": 3, "Offender cautioned": 2, "Suspect summonsed to court": 2, "Offender given penalty notice": 2,
    "Article found - Detailed outcome unavailable": 1}
OUTCOMES_FROM_2018 = {
    "A no further action disposal": 70, "Arrest": 15, "Khat or Cannabis warning": 5, "Community resolution": 3,
    "Summons / charged by post": 3, "Caution (simple or conditional)": 1.5, "Penalty Notice for Disorder": 1}
NO_FURTHER_ACTION = ("Nothing found - no further action", "A no further action disposal")


def stop_search(world: DemoWorld, incoming: Path) -> list[Path]:
    """~450 searches a month, where drugs, weapons and robbery crime is, evening-heavy; dates in UTC as police.uk
    writes them; blanks where the real files have them (gender, age, a few points)."""
    rng = rng_for(world.seed, "police/stop_search")
    weights = lsoa_weights(world.geo, world.pattern, ("Drugs", "Possession of weapons", "Robbery"), power=1.3)
    folder = incoming / "police" / "demo"
    written = []
    for index, month in enumerate(world.months):
        seasonal = 1 + 0.15 * np.cos(2 * np.pi * (month.month - 8) / 12)
        n = count_for(rng, STOP_SEARCH_MONTHLY * world.scale * seasonal * STOP_SEARCH_TREND ** (index / 12))
        path = folder / f"{month:%Y-%m}-greater-manchester-stop-and-search.csv"
        written.append(write_csv(path, POLICE_UK_STOP_SEARCH.headers, _stop_search_rows(world, rng, weights, month, n),
                                 world.delivered("police", "stop_search", month, rng)))
    return written


def _stop_search_rows(world: DemoWorld, rng: np.random.Generator, weights: np.ndarray, month: date, n: int):
    moments = np.sort(times_in(rng, month, n, STOP_SEARCH_HOURS)).astype("datetime64[m]").astype("datetime64[s]")
    searched = [f"{s}+00:00" for s in np.datetime_as_string(to_utc(moments), unit="s").tolist()]
    kind = choose(rng, SEARCH_TYPES, n)
    person = kind != "Vehicle search"
    lon, lat = points_near(world, rng, rng.choice(len(weights), size=n, p=weights), jitter=0.0008, blank=0.015)
    ethnicity = choose(rng, {k: w for k, (w, _) in ETHNICITIES.items()}, n)
    officer = np.array([ETHNICITIES[e][1] for e in ethnicity], dtype=object)
    officer[rng.random(n) < 0.04] = ""
    law = rng.choice(len(LEGISLATION), size=n, p=shares([w for _, w, _ in LEGISLATION]))
    objects = np.empty(n, dtype=object)
    for i, (_, _, found) in enumerate(LEGISLATION):
        objects[law == i] = choose(rng, found, int((law == i).sum()))
    objects[rng.random(n) < 0.001] = ""
    outcome = choose(rng, OUTCOMES_FROM_2018 if month >= NEW_OUTCOME_WORDING else OUTCOMES_UNTIL_2017, n)
    nfa = np.isin(outcome, NO_FURTHER_ACTION)
    linked = np.where(nfa, np.where(rng.random(n) < 0.97, "", "False"),
                      choose(rng, {"True": 60, "False": 30, "": 10}, n)).astype(object)
    blank_if_vehicle = lambda values: np.where(person, values, "").astype(object)  # noqa: E731
    return zip(kind, searched, flags(rng.random(n) < 0.13, "True", "False"), [""] * n, lat, lon,
               blank_if_vehicle(choose(rng, GENDERS, n)), blank_if_vehicle(choose(rng, AGE_RANGES, n)),
               blank_if_vehicle(ethnicity), blank_if_vehicle(officer), np.array([l for l, _, _ in LEGISLATION])[law],
               objects, outcome, linked, flags(rng.random(n) < 0.02, "True", "False"))


# ---- police: recorded crime, the street files' crimes with the detail police.uk hides -----------------------------

POLICE_UK_SLUGS = {
    "Violence and sexual offences": "violent-crime", "Criminal damage and arson": "criminal-damage-arson",
    "Other theft": "other-theft", "Burglary": "burglary", "Vehicle crime": "vehicle-crime",
    "Shoplifting": "shoplifting", "Public order": "public-order", "Drugs": "drugs",
    "Theft from the person": "theft-from-the-person", "Robbery": "robbery", "Bicycle theft": "bicycle-theft",
    "Possession of weapons": "possession-of-weapons", "Other crime": "other-crime",
}
# Relative weight of each HO code within its police.uk category (a seed code not listed gets 1).
OFFENCE_WEIGHTS = {
    "105/01": 34, "008/06": 22, "008/31": 20, "020/00": 5, "008/01": 4, "019/07": 2.5, "005/01": 1.5, "008/46": 1,
    "002/00": 0.1, "001/00": 0.05, "004/01": 0.02, "004/04": 0.05, "004/08": 0.02,
    "034/02": 88, "034/01": 12,
    "028/01": 59, "030/01": 40, "029/00": 1,
    "045/00": 55, "048/00": 28, "126/00": 12, "037/02": 5,
    "058/01": 35, "058/03": 32, "058/04": 15, "058/02": 11, "056/02": 5, "056/01": 2,
    "092/02": 82, "092/01": 18, "010/01": 85, "010/02": 15, "066/00": 97, "062/00": 3,
}
# Per police.uk type: share with a personal victim, with a named suspect, domestic, alcohol-related; hours profile.
NIGHT = (8, 7, 6, 4, 2, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 8, 9, 9, 9)
DAY = (1, 1, 0.5, 0.5, 0.5, 0.5, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 8, 6, 4, 3, 2, 2, 1)
HOME = (6, 5, 4, 4, 3, 2, 2, 3, 4, 4, 4, 4, 4, 4, 4, 5, 6, 7, 8, 8, 8, 8, 7, 7)
CRIME_DETAIL = {
    "Violence and sexual offences": (1.0, 0.50, 0.15, 0.20, NIGHT),
    "Criminal damage and arson": (1.0, 0.20, 0.05, 0.08, NIGHT), "Other theft": (1.0, 0.10, 0, 0.02, DAY),
    "Burglary": (1.0, 0.10, 0.01, 0, HOME), "Vehicle crime": (1.0, 0.07, 0, 0, HOME),
    "Shoplifting": (0.3, 0.60, 0, 0.03, DAY), "Public order": (0.5, 0.60, 0.04, 0.25, NIGHT),
    "Drugs": (0, 0.95, 0, 0.02, DAY), "Theft from the person": (1.0, 0.05, 0, 0.05, NIGHT),
    "Robbery": (1.0, 0.25, 0, 0.05, NIGHT), "Bicycle theft": (1.0, 0.05, 0, 0, DAY),
    "Possession of weapons": (0, 0.95, 0, 0.05, NIGHT), "Other crime": (0.5, 0.60, 0.02, 0.02, DAY),
}
MO_TEXT = {
    "Violence and sexual offences": ("Victim punched in the face outside licensed premises",
                                     "Victim pushed to the ground during an argument",
                                     "Threatening messages sent via social media",
                                     "Suspect headbutted victim, minor injuries"),
    "Criminal damage and arson": ("Windows smashed with a brick", "Graffiti sprayed on shop shutters",
                                  "Tyres slashed on parked car", "Wheelie bin set alight against fence"),
    "Other theft": ("Unattended bag taken from table", "Parcel taken from doorstep", "Tools taken from building site"),
    "Burglary": ("Suspect forced rear door", "Entry via insecure window", "Euro cylinder lock snapped on front door",
                 "Sneak-in through unlocked door, car keys taken"),
    "Vehicle crime": ("Window smashed, items taken from footwell", "Vehicle taken using keys from burglary",
                      "Number plates removed", "Door lock punched, nothing taken"),
    "Shoplifting": ("Suspect concealed meat products and left without paying", "Alcohol taken from shelves",
                    "Security tag removed in changing room"),
    "Public order": ("Abusive behaviour towards shop staff", "Group fighting in the street",
                     "Racial abuse shouted at victim"),
    "Drugs": ("Cannabis found during stop search", "Suspected dealing from parked vehicle", "Wraps found on arrest"),
    "Theft from the person": ("Purse taken from handbag on bus", "Phone taken from back pocket in crowd"),
    "Robbery": ("Phone snatched by suspects on pedal cycles", "Victim threatened with knife, wallet taken"),
    "Bicycle theft": ("Cycle lock cut at station", "Bike taken from rear garden"),
    "Possession of weapons": ("Knife found in waistband", "Lock knife found during search of vehicle"),
    "Other crime": ("Suspect failed to stop for police", "Fraudulent documents found"),
}
DOMESTIC_MO = ("Argument between partners escalated, victim assaulted", "Ex-partner attended address and made threats")
LOCATIONS_PER_LSOA = 25
LOCATION_SHARE = 0.30
REPEAT_VICTIM = 0.14            # share of victims seen in the past 12 months; domestic victims far more often
REPEAT_DOMESTIC_VICTIM = 0.40
SUPERVISED_SUSPECTS = 0.15      # named suspects under probation supervision that month: the link the two feeds share
REPEAT_SUSPECT = 0.30           # other named suspects seen in the past 12 months
OTHER_SUSPECTS_FROM = 5_000_000  # their CRN numbers, far from the probation caseload's, so the two never collide


def recorded_crime(world: DemoWorld, incoming: Path, on_probation: dict[date, "Caseload"]) -> list[Path]:
    """One recorded crime per street-file crime (ASB is not crime), with its HO offence code, dates and references;
    some named suspects are offenders on that month's probation caseload, under the same reference.

    December 2016's police.uk file is the real, partial extract, so that month takes November's crimes re-dated:
    GMP's own extract is whole even when the published one is not."""
    rng = rng_for(world.seed, "police/recorded_crime")
    offences = _offence_choices()
    victims = Repeats(rng, lambda v: f"V{v:08d}", 8, memory=12)
    suspects = Repeats(rng, crn, 7, memory=12, first=OTHER_SUSPECTS_FROM)
    locations = scrambled(np.arange(len(world.pattern.codes) * LOCATIONS_PER_LSOA), 8)
    locations = locations.reshape(-1, LOCATIONS_PER_LSOA)   # a pool of premises per LSOA, so locations repeat
    issued = Counter()
    folder = incoming / "police" / "demo"
    written = []
    for month in world.months:
        street = world.pattern.month(month)
        named = _suspects(world, rng, street, on_probation[month], suspects)
        rows = _crime_rows(world, rng, street, month, offences, victims, locations, issued, named)
        path = folder / f"{month:%Y-%m}-gmp-recorded-crime.csv"
        written.append(write_csv(path, POLICE_RECORDED_CRIME.headers, rows,
                                 world.delivered("police", "recorded_crime", month, rng)))
    return written


def _offence_choices() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per police.uk crime type (CRIME_TYPE_NAMES order): the seed's HO codes of that category, their offences and
    the chance of each."""
    with HO_OFFENCE_CODES.open(encoding="utf-8", newline="") as f:
        seed = list(csv.DictReader(f))
    choices = []
    for name in CRIME_TYPE_NAMES:
        codes = [r for r in seed if r["category"] == POLICE_UK_SLUGS.get(name)]
        weights = [OFFENCE_WEIGHTS.get(r["ho_offence_code"], 1.0) for r in codes]
        choices.append((np.array([r["ho_offence_code"] for r in codes], dtype=object),
                        np.array([r["offence"] for r in codes], dtype=object), shares(weights) if codes else None))
    return choices


def _crime_rows(world, rng, street, month, offences, victims, locations, issued, suspect) -> zip:
    n = len(street.place)
    kind = street.crime_type
    code, offence = np.empty(n, dtype=object), np.empty(n, dtype=object)
    victim_share, domestic_p, alcohol_p = np.zeros(n), np.zeros(n), np.zeros(n)
    hour = np.zeros(n, dtype=int)
    mo = np.full(n, "", dtype=object)
    for t in np.unique(kind):
        rows = np.flatnonzero(kind == t)
        codes, names, p = offences[t]
        pick = rng.choice(len(codes), size=len(rows), p=p)
        code[rows], offence[rows] = codes[pick], names[pick]
        victim_share[rows], _, domestic_p[rows], alcohol_p[rows], hours = CRIME_DETAIL[CRIME_TYPE_NAMES[t]]
        hour[rows] = rng.choice(24, size=len(rows), p=shares(hours))
        phrases = np.array(MO_TEXT[CRIME_TYPE_NAMES[t]], dtype=object)
        mo[rows] = phrases[rng.integers(len(phrases), size=len(rows))]
    domestic = rng.random(n) < domestic_p
    mo[domestic] = np.array(DOMESTIC_MO, dtype=object)[rng.integers(len(DOMESTIC_MO), size=int(domestic.sum()))]
    mo[rng.random(n) < 0.5] = ""
    recorded = np.datetime64(month, "D") + np.sort(rng.integers(0, days_in(month), size=n))
    occurred = recorded - np.minimum(rng.geometric(0.45, size=n) - 1, 10)
    minutes = np.where(rng.random(n) < 0.6, rng.integers(0, 12, size=n) * 5, rng.integers(0, 60, size=n))
    occurred_at = clock(occurred + (hour * 3600 + minutes * 60).astype("timedelta64[s]"))
    occurred_at[rng.random(n) < 0.06] = ""  # a few times unknown
    has_victim = rng.random(n) < victim_share
    victim = np.full(n, "", dtype=object)
    victim[has_victim] = victims.draw(np.where(domestic, REPEAT_DOMESTIC_VICTIM, REPEAT_VICTIM)[has_victim])
    placed = street.place >= 0
    lsoa = np.array(world.pattern.codes + [""], dtype=object)[street.place]   # -1, no location: ""
    location = np.full(n, "", dtype=object)
    known = np.flatnonzero(placed & (rng.random(n) < LOCATION_SHARE))
    slot = np.minimum(rng.geometric(0.12, size=len(known)) - 1, LOCATIONS_PER_LSOA - 1)
    location[known] = [f"L{v:08d}" for v in locations[street.place[known], slot].tolist()]
    moved = rng.random(n) < 0.1  # recorded at the address itself rather than police.uk's snap point
    lon = street.lon + np.where(moved, rng.normal(0, 0.0015, n), 0)
    lat = street.lat + np.where(moved, rng.normal(0, 0.0015, n), 0)
    year = f"{month:%y}"
    refs = [f"GMP/{year}/{issued[year] + i + 1:06d}" for i in range(n)]
    issued[year] += n
    return zip(refs, iso_dates(recorded), iso_dates(occurred), occurred_at, code, offence, lsoa, decimals(lon),
               decimals(lat), victim, location, flags(domestic), flags(rng.random(n) < alcohol_p), mo, suspect)


def _suspects(world, rng, street, caseload: "Caseload", others: Repeats) -> np.ndarray:
    """The named suspect of each crime, or blank: offenders on the caseload are drawn by how prolific their
    supervision says they are, three times as often in the district they live in; other suspects recur too."""
    n = len(street.place)
    named_share = np.array([CRIME_DETAIL.get(name, (0, 0))[1] for name in CRIME_TYPE_NAMES])   # ASB: no crime
    named = rng.random(n) < named_share[street.crime_type]
    supervised = named & (rng.random(n) < SUPERVISED_SUSPECTS)
    suspect = np.full(n, "", dtype=object)
    outside = len(world.pattern.codes) - len(world.geo.lsoa11) + 1   # over the border, or no location
    district = np.append(world.geo.lsoa11_district, [""] * outside)[street.place]
    for where in np.unique(district[supervised]):
        rows = np.flatnonzero(supervised & (district == where))
        weight = caseload.weight * np.where(caseload.district == where, 3.0, 1.0)
        suspect[rows] = caseload.ref[rng.choice(len(weight), size=len(rows), p=weight / weight.sum())]
    unsupervised = named & ~supervised
    suspect[unsupervised] = others.draw(np.full(int(unsupervised.sum()), REPEAT_SUSPECT))
    return suspect


# ---- probation: the monthly caseload snapshot ----------------------------------------------------------------------

CASELOAD = 12_000
TURNOVER = 0.05                 # a month's leavers, and joiners, as a share of the caseload
MOVES = 0.01                    # offenders whose home postcode changes in a month
TIER_CHANGES = 0.02
# About a quarter of the caseload has a proven reoffence: more of those supervised for a while, fewer new starters.
REOFFENCE_ESTABLISHED, REOFFENCE_NEW, REOFFENCE_MONTHLY = 0.25, 0.10, 0.012
PROBATION_AGES = {"18-24": 22, "25-34": 34, "35-44": 22, "45-54": 14, "55-64": 6, "65+": 2}
TIERS = {"1": 10, "2": 38, "3": 40, "4": 12}
ROSH = {"Low": 35, "Medium": 50, "High": 14, "Very High": 1}
OFFENCE_GROUPS = {
    "Violence against the person": 28, "Theft offences": 16, "Drug offences": 12, "Burglary": 7, "Summary motoring": 8,
    "Public order offences": 6, "Sexual offences": 6, "Criminal damage and arson": 4, "Possession of weapons": 4,
    "Robbery": 3, "Fraud offences": 3, "Miscellaneous crimes against society": 3,
}
SENTENCES = {"Community Order": 40, "Suspended Sentence Order": 25, "Licence": 30, "Post Sentence Supervision": 5}
NO_HOME_POSTCODE = {"": 70, "UNKNOWN": 12, "NFA": 12, "M8": 3, "OL11 1": 3}   # blank, or malformed as recorded


@dataclass(frozen=True)
class Caseload:
    """Who is under supervision at a month end, as recorded crime needs it to name some of them as suspects."""
    ref: np.ndarray         # Offender Reference
    district: np.ndarray    # home district ('' when the home postcode is missing or malformed)
    weight: np.ndarray      # how often they offend: PPOs far more, tier 4 and 3 more


def probation_caseload(world: DemoWorld, incoming: Path) -> tuple[list[Path], dict[date, Caseload]]:
    """A snapshot of ~12,000 offenders at each month end; 5% leave and 5% join each month, the rest carry their
    Offender Reference (CRN + letter + 6 digits) from month to month. Homes cluster where the crime is."""
    rng = rng_for(world.seed, "probation/caseload")
    weights = lsoa_weights(world.geo, world.pattern, ("Violence and sexual offences", "Burglary", "Drugs",
                                                        "Anti-social behaviour"), power=1.2)
    size = max(20, round(CASELOAD * world.scale))
    caseload = _offenders(world, rng, weights, size, world.months[0], 0, established=True)
    issued = size
    folder = incoming / "probation" / "demo"
    written, snapshots = [], {}
    for index, month in enumerate(world.months):
        if index:
            caseload = _next_month(world, rng, weights, caseload, size, month, issued)
            issued += len(caseload["ref"]) - int((caseload["number"] < issued).sum())
        path = folder / f"{month:%Y-%m}-probation-caseload.csv"
        written.append(write_csv(path, PROBATION_CASELOAD.headers, _caseload_rows(caseload, month),
                                 world.delivered("probation", "caseload", month, rng)))
        home = np.append(world.geo.district, "")[caseload["home"]]
        weight = 1 + 7 * caseload["ppo"] + (caseload["tier"] == "4") + 0.5 * (caseload["tier"] == "3")
        snapshots[month] = Caseload(caseload["ref"], home, weight)
    return written, snapshots


def _offenders(world, rng, weights, n, month, first_number, established=False) -> dict[str, np.ndarray]:
    """New offenders: those on the caseload in April 2015 started up to three years before; joiners in the month."""
    month_end = np.datetime64(month, "D") + days_in(month) - 1
    started = month_end - (rng.integers(1, 3 * 365, size=n) if established else rng.integers(0, 45, size=n))
    ppo = rng.random(n) < 0.03
    tier = choose(rng, TIERS, n)
    tier[ppo] = choose(rng, {"3": 40, "4": 60}, int(ppo.sum()))
    postcode, home = _homes(world, rng, weights, n)
    return {
        "ref": np.array([crn(v) for v in scrambled(np.arange(first_number, first_number + n), 7).tolist()],
                        dtype=object),
        "number": np.arange(first_number, first_number + n), "postcode": postcode, "home": home,
        "age": choose(rng, PROBATION_AGES, n), "tier": tier, "rosh": choose(rng, ROSH, n),
        "offence": choose(rng, OFFENCE_GROUPS, n), "sentence": choose(rng, SENTENCES, n), "started": started,
        "ppo": ppo, "reoffended": rng.random(n) < (REOFFENCE_ESTABLISHED if established else REOFFENCE_NEW),
        "reoffence_unknown": rng.random(n) < 0.02,
    }


def _homes(world, rng, weights, n) -> tuple[np.ndarray, np.ndarray]:
    """Home postcodes and their LSOAs (-1 where the postcode is missing or malformed, as probation records some)."""
    home = rng.choice(len(weights), size=n, p=weights)
    postcode = world.directory.postcode[world.directory.pick(rng, home)]
    missing = rng.random(n) < 0.015
    postcode[missing] = choose(rng, NO_HOME_POSTCODE, int(missing.sum()))
    home[missing] = -1
    return postcode, home


def _next_month(world, rng, weights, caseload, size, month, issued) -> dict[str, np.ndarray]:
    stay = rng.random(len(caseload["ref"])) >= TURNOVER
    caseload = {k: v[stay] for k, v in caseload.items()}
    n = len(caseload["ref"])
    moved = rng.random(n) < MOVES
    caseload["postcode"][moved], caseload["home"][moved] = _homes(world, rng, weights, int(moved.sum()))
    retiered = rng.random(n) < TIER_CHANGES
    caseload["tier"][retiered] = choose(rng, TIERS, int(retiered.sum()))
    caseload["reoffended"] |= rng.random(n) < REOFFENCE_MONTHLY
    joiners = max(1, int(rng.poisson(max(size - n, 1))))   # about as many join as left, so the caseload holds steady
    new = _offenders(world, rng, weights, joiners, month, issued)
    return {k: np.concatenate([caseload[k], new[k]]) for k in caseload}


def _caseload_rows(caseload, month) -> zip:
    n = len(caseload["ref"])
    reoffence = np.where(caseload["reoffence_unknown"], "", flags(caseload["reoffended"])).astype(object)
    return zip([f"{month:%Y-%m}"] * n, caseload["ref"], caseload["postcode"], caseload["age"], caseload["tier"],
               caseload["rosh"], caseload["offence"], caseload["sentence"], iso_dates(caseload["started"]),
               flags(caseload["ppo"]), reoffence)
