"""Boundary polygons are GeoJSON deliveries through the same contract engine as every CSV: recognised by their
features' properties, audited, a feature without a usable polygon quarantined with its reason (rows read = loaded +
rejected), a file that is not one of the formats refused naming it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from loaders.errors import LoaderError
from loaders.ingest import ingest_files
from loaders.reference import GM_WARD22_BOUNDARIES, LSOA21_BOUNDARIES

SQUARE = {"type": "Polygon", "coordinates": [[[-2.3, 53.4], [-2.2, 53.4], [-2.2, 53.5], [-2.3, 53.5], [-2.3, 53.4]]]}


def feature(code: str, geometry: dict | None, name: str = "A ward") -> dict:
    return {"type": "Feature", "properties": {"area_code": code, "area_name": name, "lat": 53.45, "lon": -2.25},
            "geometry": geometry}


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_the_real_ward_and_cleveland_boundaries_load_whole(tmp_path, real_dir):
    db = tmp_path / "hub.duckdb"
    geography = real_dir / "geography"
    results = ingest_files(db, "reference", [geography / "gm_ward22_boundaries_generalised.geojson",
                                             *sorted((geography / "cleveland_lsoa21_boundaries").glob("*.geojson"))])
    assert [(r.feed, r.rows_read, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("gm_ward22_boundaries", 215, 215, 0), ("lsoa21_boundaries", 57, 57, 0), ("lsoa21_boundaries", 90, 90, 0),
        ("lsoa21_boundaries", 88, 88, 0), ("lsoa21_boundaries", 124, 124, 0)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        (wards, named) = con.execute(f"select count(distinct wd22cd), count(wd22nm) from raw.{GM_WARD22_BOUNDARIES.table}").fetchone()
        assert (wards, named) == (215, 215)
        # Each of the four districts' files stays live beside the others.
        districts = con.execute(f"select lad_code, count(*) from raw.{LSOA21_BOUNDARIES.table} group by 1 order by 1").fetchall()
        assert districts == [("E06000001", 57), ("E06000002", 90), ("E06000003", 88), ("E06000004", 124)]
        (kind,) = con.execute(f"select json_extract_string(boundary_geojson, '$.type') from raw.{GM_WARD22_BOUNDARIES.table} limit 1").fetchone()
        assert kind == "MultiPolygon"
    finally:
        con.close()


def test_a_feature_without_a_polygon_is_quarantined_with_its_reason(tmp_path):
    db = tmp_path / "hub.duckdb"
    delivery = write_geojson(tmp_path / "wards.geojson", [
        feature("E05000001", SQUARE),
        feature("E05000002", None),
        feature("E05000003", {"type": "Point", "coordinates": [-2.25, 53.45]}),
        feature("E05000004", {"type": "Polygon", "coordinates": "not coordinates"}),
        feature("E05000001", SQUARE, name="the same code again"),
    ])
    [result] = ingest_files(db, "reference", [delivery])
    assert (result.feed, result.rows_read, result.rows_loaded, result.rows_rejected) == ("gm_ward22_boundaries", 5, 1, 4)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejects = con.execute("select source_row, column_name, reason from audit.rejects order by source_row").fetchall()
        loaded = con.execute(f"select wd22cd from raw.{GM_WARD22_BOUNDARIES.table}").fetchall()
    finally:
        con.close()
    assert loaded == [("E05000001",)]
    assert [(row, column) for row, column, _ in rejects] == [(2, "geometry"), (3, "geometry"), (4, "geometry"),
                                                             (5, "area_code")]
    assert rejects[0][2] == "geometry is blank but required"
    assert "is not a GeoJSON Polygon or MultiPolygon" in rejects[1][2]
    assert "is not a GeoJSON Polygon or MultiPolygon" in rejects[2][2]
    assert rejects[3][2] == "repeats the key (area_code) of row 1"


@pytest.mark.parametrize("content, said", [
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "X"}, '
     '"geometry": null}]}', "is not in any reference format"),
    ('{"type": "Topology", "objects": {}}', "not a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": [', "is not valid JSON"),
])
def test_a_wrong_geojson_file_is_refused_naming_it(tmp_path, content, said):
    wrong = tmp_path / "boundaries-2024.geojson"
    wrong.write_text(content, encoding="utf-8")
    with pytest.raises(LoaderError) as refused:
        ingest_files(tmp_path / "hub.duckdb", "reference", [wrong])
    assert "boundaries-2024.geojson" in str(refused.value) and said in str(refused.value)
    con = duckdb.connect(str(tmp_path / "hub.duckdb"), read_only=True)
    try:
        assert con.execute("select file_name, status from audit.loads").fetchall() == [(wrong.name, "failed")]
    finally:
        con.close()
