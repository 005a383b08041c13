"""Placing points in the loaded 2021 LSOA polygons (DuckDB spatial), for the reference points placed as they load.

The rule, the same as the build's (models/intermediate/int_points_placed.sql): a point lies in an LSOA when the
polygon contains it or it is on the polygon's edge (ST_Intersects); a point on the edge between two LSOAs is placed in
the lower-coded one and flagged (is_on_boundary); a point in no polygon is outside the area (lsoa_code null). Polygons
whose generalised rings touch themselves are made valid first (ST_MakeValid), so no point falls through them.
"""

from __future__ import annotations

import duckdb

from loaders.reference import GM_LSOA21_BOUNDARIES, LSOA21_BOUNDARIES

PLACED_COLUMNS = (("lsoa_code", "varchar"), ("is_on_boundary", "boolean"))


def lsoa_polygons_sql() -> str:
    """Every loaded 2021 LSOA polygon, once: Greater Manchester's file where it holds the LSOA, else ONS's."""
    gm, ons = f"raw.{GM_LSOA21_BOUNDARIES.table}", f"raw.{LSOA21_BOUNDARIES.table}"
    return f"""
        select lsoa21cd as lsoa_code, boundary_geojson from {gm}
        union all
        select lsoa21cd, boundary_geojson from {ons} where lsoa21cd not in (select lsoa21cd from {gm})
    """


def placed_points_sql(points: str) -> str:
    """(longitude, latitude, lsoa_code, is_on_boundary) for each distinct point of the query `points` (columns
    longitude and latitude) that lies in a loaded polygon; a point in none is absent."""
    return f"""
        with polygons as (
            select lsoa_code, ST_MakeValid(ST_GeomFromGeoJSON(boundary_geojson)) as shape
            from ({lsoa_polygons_sql()})
        ),
        points as (
            select distinct longitude, latitude from ({points})
            where longitude is not null and latitude is not null
        )
        select points.longitude, points.latitude, min(polygons.lsoa_code) as lsoa_code,
               count(*) > 1 as is_on_boundary
        from points
        inner join polygons on ST_Intersects(polygons.shape, ST_Point(points.longitude, points.latitude))
        group by points.longitude, points.latitude
    """


def polygons_loaded(con: duckdb.DuckDBPyConnection) -> int:
    (count,) = con.execute(f"select count(*) from ({lsoa_polygons_sql()})").fetchone()
    return count
