"""The tactical marts, recomputed in plain Python from the partner files they were built from.

A small Trafford warehouse: fourteen months (December 2022 - January 2024) of police.uk street files and police
recorded-crime extracts with victim and suspect references, and two probation caseload snapshots, written here in
the partners' own formats and loaded through the hub. Each figure the marts publish is worked out again from the
files with the csv module and plain arithmetic, and compared.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.helpers import build_models, csv_rows, make_hub
from warehouse.paths import PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"
GEOGRAPHY = PROJECT_DIR.parent / "shared" / "data" / "real" / "geography"
POSTCODES = PROJECT_DIR.parent / "shared" / "data" / "real" / "geography" / "trafford_postcodes_to_lsoa_ward.csv"
TRAFFORD = "E08000009"
FORCE = "Greater Manchester Police"
FIRST_MONTH, MONTH_COUNT = date(2022, 12, 1), 14
# The tactical assessment's settings, read from the seed the marts read them from.
CONFIG = {name: float(value) for name, value in csv_rows(SEEDS / "tactical" / "tactical_config.csv")[0].items()}
BASELINE_MONTHS, WINDOW_MONTHS = int(CONFIG["baseline_months"]), int(CONFIG["repeat_window_months"])
MIN_COUNT, WARNING_Z, ALARM_Z = CONFIG["min_count_to_flag"], CONFIG["warning_z"], CONFIG["alarm_z"]
LIST_SIZE = int(CONFIG["exception_list_size"])
# police.uk crime type -> mean incidents per LSOA per month
STREET_RATES = {"Anti-social behaviour": 1.5, "Violence and sexual offences": 1.0, "Burglary": 0.5,
                "Criminal damage and arson": 0.5}
SURGE_EXTRA_ASB = 30  # extra ASB planted in the surge ward in the latest month
RECORDED_PER_MONTH = 300
SURGE_EXTRA_BURGLARIES = 15  # extra dwelling burglaries recorded in the same ward in the latest month
HO_CODES = ("008/06", "105/01", "028/01", "049/00", "058/03")
VICTIMS, DOMESTIC_VICTIMS, OFFENDERS, OTHER_SUSPECTS = 6000, 500, 40, 300
SNAP_POINTS_PER_LSOA = 30  # police.uk snap points: the LSOA's first 30 postcode centroids stand in for them
UNKNOWN_POSTCODE = "M99 9ZZ"  # not in the directory: the offender's home cannot be placed


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


MONTHS = [add_months(FIRST_MONTH, i) for i in range(MONTH_COUNT)]
LATEST = MONTHS[-1]


def window(month_end: date) -> set[date]:
    """The rolling window ending with month_end: it and the 11 months before it (12 months before is outside)."""
    return {add_months(month_end, -i) for i in range(WINDOW_MONTHS)}


@dataclass(frozen=True)
class Place:
    lsoa_code: str
    lsoa_name: str
    ward_code: str
    postcode: str  # its first postcode in the directory, where offenders are given a home
    points: tuple[tuple[str, str], ...]  # (longitude, latitude)


def trafford_places() -> list[Place]:
    """Every Trafford 2021 LSOA with a postcode in the directory, placed by the published best-fit lookup."""
    best_fit = {r["lsoa21cd"]: r for r in csv_rows(GEOGRAPHY / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv")}
    postcodes: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in csv_rows(POSTCODES):
        if row["lon"]:
            postcodes[row["lsoa_code"]].append(row)
    return [
        Place(code, fit["lsoa21nm"], fit["wd22cd"], postcodes[code][0]["postcode"],
              tuple((pc["lon"], pc["lat"]) for pc in postcodes[code][:SNAP_POINTS_PER_LSOA]))
        for code, fit in sorted(best_fit.items())
        if fit["lad22cd"] == TRAFFORD and postcodes.get(code)
    ]


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means used here."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *rows])
    return path


# ---- the partners' files --------------------------------------------------------------------------------------

STREET_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
RECORDED_HEADER = ["Crime Reference", "Recorded Date", "Occurred Date", "Occurred Time", "HO Offence Code",
                   "Offence Description", "LSOA Code", "Longitude", "Latitude", "Victim Reference",
                   "Location Reference", "Domestic Abuse Flag", "Alcohol Flag", "MO Text", "Suspect Reference"]
CASELOAD_HEADER = ["Snapshot Month", "Offender Reference", "Home Postcode", "Age Band", "Tier", "RoSH Level",
                   "Index Offence Group", "Sentence Type", "Sentence Start Date", "PPO Flag", "Proven Reoffence Flag"]


def surge_and_quiet_wards(places: list[Place]) -> tuple[str, str]:
    """The first two Trafford wards by code: one gets a surge in the latest month, the other goes quiet."""
    surge_ward, quiet_ward = sorted({p.ward_code for p in places})[:2]
    return surge_ward, quiet_ward


def street_files(folder: Path, places: list[Place], rng: random.Random) -> tuple[list[Path], list[dict]]:
    """One police.uk file a month, each crime on one of its LSOA's snap points at random. In the latest month
    the surge ward gets SURGE_EXTRA_ASB more ASB and the quiet ward no violence at all."""
    surge_ward, quiet_ward = surge_and_quiet_wards(places)
    paths, written = [], []
    for month in MONTHS:
        rows = []
        for place in places:
            for crime_type, mean in STREET_RATES.items():
                count = poisson(rng, mean)
                if month == LATEST and place.ward_code == quiet_ward and crime_type == "Violence and sexual offences":
                    count = 0
                rows += [(place, crime_type)] * count
        if month == LATEST:
            surge_places = [p for p in places if p.ward_code == surge_ward]
            rows += [(surge_places[i % len(surge_places)], "Anti-social behaviour") for i in range(SURGE_EXTRA_ASB)]
        lines = []
        for i, (place, crime_type) in enumerate(rows):
            is_asb = crime_type == "Anti-social behaviour"  # police.uk gives ASB no Crime ID
            crime_id = "" if is_asb else hashlib.sha256(f"{month}-{i}".encode()).hexdigest()
            point = rng.choice(place.points)
            lines.append([crime_id, f"{month:%Y-%m}", FORCE, FORCE, *point, "On or near Test Street",
                          place.lsoa_code, place.lsoa_name, crime_type, "", ""])
            written.append({"month": month, "place": place, "point": point, "crime_type": crime_type})
        paths.append(write_csv(folder / f"{month:%Y-%m}-greater-manchester-street.csv", STREET_HEADER, lines))
    return paths, written


def recorded_crime_files(folder: Path, places: list[Place], rng: random.Random) -> tuple[list[Path], list[dict]]:
    """One extract a month of recording. Most crimes have a victim reference (the first DOMESTIC_VICTIMS of the
    pool suffer domestic abuse); half name a suspect, a few of them on the probation caseload. In the latest month
    the surge ward has SURGE_EXTRA_BURGLARIES more dwelling burglaries. Planted at the edge of the 12-month
    window: VIC-EDGE is a victim in January 2023 and January 2024, exactly 12 months apart, and OFF-EDGE, on the
    caseload, is named in December 2022 and January 2023 only."""
    surge_places = [p for p in places if p.ward_code == surge_and_quiet_wards(places)[0]]
    paths, written = [], []
    for month in MONTHS:
        crimes = []
        for i in range(RECORDED_PER_MONTH):
            victim_number = rng.randrange(VICTIMS)
            victim = "" if rng.random() < 0.15 else f"VIC-{victim_number:04d}"
            domestic = bool(victim) and victim_number < DOMESTIC_VICTIMS and rng.random() < 0.7
            suspect = ""
            if rng.random() < 0.5:
                suspect = (f"OFF-{rng.randrange(OFFENDERS):04d}" if rng.random() < 0.01
                           else f"SUS-{rng.randrange(OTHER_SUSPECTS):04d}")
            crimes.append((rng.choice(places), rng.choice(HO_CODES), victim, domestic, suspect))
        if month == LATEST:
            crimes += [(surge_places[i % len(surge_places)], "028/01", "", False, "")
                       for i in range(SURGE_EXTRA_BURGLARIES)]
        if month in (date(2023, 1, 1), LATEST):
            crimes.append((places[0], "105/01", "VIC-EDGE", False, ""))
        if month in (date(2022, 12, 1), date(2023, 1, 1)):
            crimes.append((places[1], "028/01", "", False, "OFF-EDGE"))
        lines = []
        for i, (place, code, victim, domestic, suspect) in enumerate(crimes):
            recorded = month + timedelta(days=rng.randrange(28))
            lines.append([f"CR-{month:%y%m}-{i:04d}", recorded.isoformat(), (recorded - timedelta(days=2)).isoformat(),
                          "21:30", code, "", place.lsoa_code, "", "", victim, "", str(domestic), "False", "", suspect])
            written.append({"month": month, "place": place, "ho_code": code, "victim": victim,
                            "domestic": domestic, "suspect": suspect})
        paths.append(write_csv(folder / f"recorded-crime-{month:%Y-%m}.csv", RECORDED_HEADER, lines))
    return paths, written


def caseload_files(folder: Path, places: list[Place], rng: random.Random) -> tuple[list[Path], list[dict]]:
    """December 2023 (offenders 0-35) and January 2024 (4-39) snapshots, both with OFF-EDGE; every fifth offender
    is a PPO, and three live at a postcode the directory does not know."""
    paths, written = [], []
    homes = {f"OFF-{n:04d}": (UNKNOWN_POSTCODE if n in (3, 17, 29) else rng.choice(places).postcode)
             for n in range(OFFENDERS)}
    homes["OFF-EDGE"] = places[2].postcode
    for month, numbers in ((date(2023, 12, 1), range(0, 36)), (LATEST, range(4, 40))):
        offenders = [f"OFF-{n:04d}" for n in numbers] + ["OFF-EDGE"]
        lines = []
        for offender in offenders:
            is_ppo = offender != "OFF-EDGE" and int(offender[-4:]) % 5 == 0
            lines.append([f"{month:%Y-%m}", offender, homes[offender], "25-34", str(rng.randint(1, 4)), "Medium",
                          "Violence against the person", "Community Order", "2023-06-01", str(is_ppo), "False"])
            written.append({"month": month, "offender": offender, "postcode": homes[offender], "is_ppo": is_ppo})
        paths.append(write_csv(folder / f"caseload-{month:%Y-%m}.csv", CASELOAD_HEADER, lines))
    return paths, written


@dataclass(frozen=True)
class Built:
    db: Path
    places: list[Place]
    street: list[dict]
    recorded: list[dict]
    caseload: list[dict]


@pytest.fixture(scope="module")
def built(tmp_path_factory, hub_template) -> Built:
    folder = tmp_path_factory.mktemp("tactical")
    rng = random.Random(2024)
    places = trafford_places()
    street_paths, street = street_files(folder / "police", places, rng)
    recorded_paths, recorded = recorded_crime_files(folder / "police", places, rng)
    caseload_paths, caseload = caseload_files(folder / "probation", places, rng)
    hub = make_hub(folder / "hub", hub_template)
    hub.ingest("reference", POSTCODES)
    hub.ingest("police", *street_paths, *recorded_paths)
    hub.ingest("probation", *caseload_paths)
    build_models(hub, "tactical_exceptions", "repeat_locations_ward_month", "repeat_offenders_district_month",
                 "repeat_victims_district_month")
    return Built(hub.paths.working_db, places, street, recorded, caseload)


def query(built: Built, sql: str) -> list[tuple]:
    con = duckdb.connect(str(built.db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---- plain recomputation --------------------------------------------------------------------------------------

# The hub's groups as its seeds define them: police.uk crime types (current names) and Home Office offence codes.
STREET_GROUPS = {r["source_category"]: r["category_group"] for r in csv_rows(SEEDS / "category_map.csv")
                 if r["taxonomy"] == "police_uk" and not r["valid_to"]}
OFFENCE_GROUPS = {r["ho_offence_code"]: r["category_group"]
                  for r in csv_rows(SEEDS / "police" / "ho_offence_codes.csv")}


def ward_scores(built: Built, feed: str) -> dict[tuple[str, str], dict]:
    """Every Trafford ward and group of the feed in the latest month: count, mean of the 12 months before, z."""
    if feed == "street_crime":
        events = [(e["month"], e["place"].ward_code, STREET_GROUPS[e["crime_type"]]) for e in built.street]
    else:
        events = [(e["month"], e["place"].ward_code, OFFENCE_GROUPS[e["ho_code"]]) for e in built.recorded]
    counts = Counter(events)
    wards = {r["wd22cd"] for r in csv_rows(GEOGRAPHY / "gm_ward22_to_lad22_lookup.csv")
             if r["lad22cd"] == TRAFFORD}
    baseline = [add_months(LATEST, -i) for i in range(1, BASELINE_MONTHS + 1)]
    scores = {}
    for ward in wards:
        for group in {g for _, _, g in events}:
            current = counts[(LATEST, ward, group)]
            expected = sum(counts[(m, ward, group)] for m in baseline) / len(baseline)
            z = 2 * (math.sqrt(current) - math.sqrt(expected))
            scores[(ward, group)] = {"current": current, "expected": expected, "z": z,
                                     "last_year": counts[(add_months(LATEST, -12), ward, group)]}
    return scores


def exception_list(scores: dict[tuple[str, str], dict]) -> dict[tuple[str, str], tuple[int, str, bool]]:
    """|z| >= 2 with at least 5 incidents in the month or expected, ranked within the direction by z (rises) or
    -z (falls), ties to the larger difference."""
    ranked = {}
    for direction, sign in (("rise", 1), ("fall", -1)):
        rows = [(key, s) for key, s in scores.items()
                if sign * s["z"] >= WARNING_Z and max(s["current"], s["expected"]) >= MIN_COUNT]
        rows.sort(key=lambda r: (-sign * r[1]["z"], -abs(r[1]["current"] - r[1]["expected"]), r[0]))
        for rank, (key, s) in enumerate(rows, start=1):
            ranked[key] = (rank, "alarm" if abs(s["z"]) >= ALARM_Z else "warning", rank <= LIST_SIZE)
    return ranked


# ---- the claims -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("feed", ["street_crime", "recorded_crime"])
def test_every_trafford_ward_figure_is_scored_as_recomputed_from_the_files(built, feed):
    expected = ward_scores(built, feed)
    rows = query(built, f"""
        select ward_code, category_group, month_start, current_count, same_month_last_year_count, baseline_months,
               expected_count, z_score
        from intermediate.int_ward_month_expected
        where district_code = '{TRAFFORD}' and partner = 'police' and feed = '{feed}'
    """)
    assert len(rows) == len(expected) > 0
    for ward, group, month, current, last_year, baseline_months, mean, z in rows:
        want = expected[(ward, group)]
        assert (month, current, last_year, baseline_months) == (
            LATEST, want["current"], want["last_year"], BASELINE_MONTHS), (ward, group)
        assert mean == pytest.approx(want["expected"], rel=1e-12) and z == pytest.approx(want["z"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("feed", ["street_crime", "recorded_crime"])
def test_the_exception_list_is_the_recomputed_ranking(built, feed):
    expected = exception_list(ward_scores(built, feed))
    rows = query(built, f"""
        select ward_code, category_group, exception_rank, exception_level, is_on_exception_list
        from marts.tactical_exceptions
        where district_code = '{TRAFFORD}' and partner = 'police' and feed = '{feed}'
    """)
    assert {(w, g): (rank, level, listed) for w, g, rank, level, listed in rows} == expected
    assert expected, "the planted surges make every list non-empty"


def test_the_planted_surges_and_the_quiet_ward_top_traffords_lists(built):
    surge_ward, quiet_ward = surge_and_quiet_wards(built.places)
    rows = query(built, """
        select feed, direction, ward_code, category_group, exception_level
        from marts.tactical_exceptions
        where exception_rank = 1 and (direction = 'rise' or feed = 'street_crime')
    """)
    assert sorted(rows) == [("recorded_crime", "rise", surge_ward, "Acquisitive", "alarm"),
                            ("street_crime", "fall", quiet_ward, "Violence", "alarm"),
                            ("street_crime", "rise", surge_ward, "ASB", "alarm")]


def test_repeat_victims_are_recounted_from_the_victim_references(built):
    expected = {}
    for month_end in MONTHS:
        for scope in ("all", "domestic"):
            crimes = Counter(e["victim"] for e in built.recorded
                             if e["victim"] and e["month"] in window(month_end) and (scope == "all" or e["domestic"]))
            repeat = {v: n for v, n in crimes.items() if n >= 2}
            total = sum(crimes.values())
            expected[(month_end, scope)] = (len(crimes), len(repeat), total, sum(repeat.values()),
                                            100 * sum(repeat.values()) / total if total else None)
    rows = query(built, f"""
        select month_start, incident_scope, people, repeat_people, incidents_with_person_key, repeat_incidents,
               repeat_incident_pct
        from marts.repeat_victims_district_month
        where district_code = '{TRAFFORD}' and partner = 'police' and feed = 'recorded_crime'
    """)
    got = {(m, s): (p, rp, n, rn, pct) for m, s, p, rp, n, rn, pct in rows}
    assert got.keys() == expected.keys()
    for key, (people, repeat_people, total, repeat_total, pct) in expected.items():
        assert got[key][:4] == (people, repeat_people, total, repeat_total), key
        assert got[key][4] == (None if pct is None else pytest.approx(pct, rel=1e-12)), key
    # nobody was harmed outside Trafford, so Greater Manchester's figures are Trafford's; and the victim 12 months
    # apart is not a repeat in the latest window
    assert query(built, f"""select sum(people) from marts.repeat_victims_district_month
                            where level = 'district' and district_code <> '{TRAFFORD}'""") == [(0,)]
    gm = query(built, """
        select month_start, incident_scope, people, repeat_people, incidents_with_person_key, repeat_incidents,
               repeat_incident_pct
        from marts.repeat_victims_district_month
        where level = 'gm' and partner = 'police' and feed = 'recorded_crime'
    """)
    assert {(m, s): tuple(rest) for m, s, *rest in gm} == got
    assert Counter(e["victim"] for e in built.recorded if e["month"] in window(LATEST))["VIC-EDGE"] == 1


def test_repeat_locations_are_recounted_from_the_street_files(built):
    expected = {}
    wards = {p.ward_code for p in built.places}
    for month_end in MONTHS:
        per_point = Counter((e["place"].ward_code, e["point"]) for e in built.street if e["month"] in window(month_end))
        for ward in wards:
            counts = [n for (w, _), n in per_point.items() if w == ward]
            expected[(ward, month_end)] = (
                len(counts), sum(n >= 2 for n in counts), sum(n >= 3 for n in counts),
                sum(counts), sum(n for n in counts if n >= 2), sum(n for n in counts if n >= 3))
    rows = query(built, f"""
        select ward_code, month_start, locations, locations_2_plus, locations_3_plus, incidents_with_location_key,
               incidents_at_locations_2_plus, incidents_at_locations_3_plus
        from marts.repeat_locations_ward_month
        where partner = 'police' and feed = 'street_crime' and ward_code in ({', '.join(f"'{w}'" for w in wards)})
    """)
    assert {(w, m): tuple(rest) for w, m, *rest in rows} == expected


def test_caseload_offenders_named_as_suspects_are_recounted(built):
    directory = {r["postcode"]: r["lsoa_code"] for r in csv_rows(POSTCODES)}
    district_of_lsoa = {r["lsoa21cd"]: r["lad22cd"]
                        for r in csv_rows(GEOGRAPHY / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv")}
    expected: dict[tuple[str | None, date], Counter] = defaultdict(Counter)
    for snapshot in sorted({o["month"] for o in built.caseload}):
        named = Counter(e["suspect"] for e in built.recorded if e["suspect"] and e["month"] in window(snapshot))
        for offender in (o for o in built.caseload if o["month"] == snapshot):
            lsoa = directory.get(offender["postcode"])
            district = district_of_lsoa[lsoa] if lsoa else None
            crimes = named[offender["offender"]]
            expected[(district, snapshot)].update(caseload=1, named=crimes > 0, ppo=offender["is_ppo"],
                                                  ppo_named=offender["is_ppo"] and crimes > 0, crimes=crimes)
    rows = query(built, f"""
        select district_code, month_start, caseload_offenders, offenders_named_as_suspects, ppo_offenders,
               ppo_offenders_named_as_suspects, suspect_crimes, named_as_suspect_pct
        from marts.repeat_offenders_district_month
        where district_code = '{TRAFFORD}' or district_code is null
    """)
    got = {(d, m): rest for d, m, *rest in rows}
    assert got.keys() == expected.keys()
    for key, c in expected.items():
        assert got[key][:5] == [c["caseload"], c["named"], c["ppo"], c["ppo_named"], c["crimes"]], key
        assert got[key][5] == pytest.approx(100 * c["named"] / c["caseload"], rel=1e-12), key
    # OFF-EDGE, last named in January 2023, matches the December 2023 snapshot but not January 2024's
    edge = [e["month"] for e in built.recorded if e["suspect"] == "OFF-EDGE"]
    assert any(m in window(date(2023, 12, 1)) for m in edge) and not any(m in window(LATEST) for m in edge)
