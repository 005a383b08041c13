"""Every point placed: the real GMP stop-and-search coordinates (January-September 2018) in the 2021 LSOA polygons,
checked against an independent point-in-polygon count (shapely on the 2022 ward polygons), and postcodes anywhere in
Greater Manchester geocoded at the door through the ONS postcodes placed in the same polygons."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from tests.helpers import build_models, csv_rows, make_hub
from tests.integration.reference import Polygons
from warehouse.paths import PROJECT_DIR

AMBULANCE_SAMPLE = PROJECT_DIR / "docs" / "samples" / "ambulance__callouts.csv"
# Postcodes outside Trafford (whose directory is the only one the demo delivers for real): Bolton town centre and
# Wigan town centre, given without the point attended, so only the postcode can place them.
OUTSIDE_TRAFFORD = {"SAMPLE-AMB-0001": "BL1 1AA", "SAMPLE-AMB-0002": "WN1 1AA"}


def _ambulance_delivery(folder: Path) -> Path:
    with AMBULANCE_SAMPLE.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    out = []
    for row in rows:
        record = dict(zip(header, row))
        if record["Attendance Reference"] in OUTSIDE_TRAFFORD:
            record.update({"Postcode": OUTSIDE_TRAFFORD[record["Attendance Reference"]], "Longitude": "",
                           "Latitude": ""})
            out.append([record[h] for h in header])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *out])
    path = folder / "ambulance-callouts-2024-05.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hub(tmp_path_factory, real_dir, hub_template):
    folder = tmp_path_factory.mktemp("points")
    hub = make_hub(folder / "hub", hub_template)
    hub.ingest("police", *sorted((real_dir / "police_stop_search").glob("*.csv")))
    hub.ingest("ambulance", _ambulance_delivery(folder))
    build_models(hub, "fct_incidents")
    return hub


@pytest.fixture
def working(hub):
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def wards():
    return Polygons.gm_ward22()


@pytest.fixture(scope="module")
def lsoas():
    return Polygons.gm_lsoa21()


def test_at_least_97_percent_of_real_searches_with_a_point_get_a_ward_as_an_independent_count_does(
        working, real_dir, wards):
    rows = [r for path in sorted((real_dir / "police_stop_search").glob("*.csv")) for r in csv_rows(path)]
    points = [(float(r["Longitude"]), float(r["Latitude"])) for r in rows if r["Longitude"] and r["Latitude"]]
    independent = sum(1 for point in points if wards.code_of(*point))

    (with_point, with_ward, by_polygon) = working.execute("""
        select count(*), count(ward_code), count(*) filter (where geo_method = 'polygon')
        from marts.fct_incidents where feed = 'stop_search' and longitude is not null
    """).fetchone()
    assert with_point == len(points) == by_polygon
    assert with_ward >= 0.97 * with_point
    assert abs(with_ward - independent) <= 0.01 * independent, (with_ward, independent)


def test_a_real_search_outside_every_polygon_is_counted_outside_and_one_without_a_point_unresolved(
        working, real_dir, wards):
    rows = [r for path in sorted((real_dir / "police_stop_search").glob("*.csv")) for r in csv_rows(path)]
    without_point = sum(1 for r in rows if not (r["Longitude"] and r["Latitude"]))
    outside = working.execute("""
        select longitude, latitude from marts.fct_incidents
        where feed = 'stop_search' and geo_method = 'polygon' and lsoa_code is null
    """).fetchall()
    by_place = dict(working.execute("""
        select coalesce(cast(is_in_gm as varchar), 'unknown'), count(*) from marts.fct_incidents
        where feed = 'stop_search' and (lsoa_code is null) group by 1
    """).fetchall())
    assert outside and all(wards.code_of(*point) is None for point in outside)
    assert by_place == {"false": len(outside), "unknown": without_point}


def test_a_postcode_outside_trafford_is_geocoded_at_the_door_to_its_lsoa_and_ward(working, lsoas, real_dir):
    # Independently: each postcode's ONSPD centroid in the LSOA polygons (shapely), then the ONS best-fit ward.
    centroids = {"SAMPLE-AMB-0001": (-2.432887, 53.579554), "SAMPLE-AMB-0002": (-2.635089, 53.546967)}
    best_fit = {r["lsoa21cd"]: r["wd22cd"]
                for r in csv_rows(real_dir / "geography" / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv")}
    expected_lsoas = {ref: lsoas.code_of(*point) for ref, point in centroids.items()}
    raw = working.execute("select attendance_ref, postcode_lsoa_code, postcode_outward_code "
                          "from raw.ambulance_callouts order by 1").fetchall()
    assert raw == [("SAMPLE-AMB-0001", expected_lsoas["SAMPLE-AMB-0001"], "BL1"),
                   ("SAMPLE-AMB-0002", expected_lsoas["SAMPLE-AMB-0002"], "WN1")]
    placed = dict(working.execute("""
        select i.source_ref, i.ward_code from marts.fct_incidents as i
        where i.feed = 'callouts' and i.geo_method = 'postcode' and i.is_in_gm
    """).fetchall())
    assert placed == {ref: best_fit[lsoa] for ref, lsoa in expected_lsoas.items()}
    # The full postcode is never stored, even in the raw table (the directories are public reference data).
    columns = [c for (c,) in working.execute(
        "select column_name from information_schema.columns where table_name = 'ambulance_callouts'").fetchall()]
    assert "postcode" not in columns


def test_the_ons_postcodes_are_placed_once_when_they_load(working):
    (postcodes, placed, lsoas) = working.execute(
        "select count(*), count(lsoa_code), count(distinct lsoa_code) from raw.reference_postcode_centroids"
    ).fetchone()
    assert (postcodes, placed, lsoas) == (111_757, 111_757, 1_702)
    (loads,) = working.execute(
        "select count(*) from audit.loads where feed = 'postcode_centroids' and status = 'loaded'").fetchone()
    assert loads == 1
