"""The pack's ward maps drawn from the real GM 2022 ward boundaries: every ward once, true to its shape and size,
labelled inside itself, its figure and class in text, no data never shown as a zero, and the geometry small."""

from __future__ import annotations

import csv
import json
import math
import re
import xml.etree.ElementTree as ET

import pytest

from warehouse.pack_maps import (MAX_HEIGHT, MAX_WIDTH, NO_DATA, Choropleth, MapClass, Reading, WardShape,
                                 choropleth_svg, legend_html, outlines, shared_outlines_svg)

MANCHESTER = "E08000003"
EARTH_RADIUS_M = 6_371_008.8
CLASSES = tuple(MapClass(str(i + 1), f"class label {i + 1}") for i in range(5))


@pytest.fixture(scope="module")
def gm_wards(real_dir) -> list[tuple[WardShape, str]]:
    """Every GM ward as (shape, district code), read from the real boundary file and lookup (in the test only)."""
    geography = real_dir / "geography"
    with (geography / "gm_ward22_to_lad22_lookup.csv").open(encoding="utf-8", newline="") as f:
        district = {row["wd22cd"]: row["lad22cd"] for row in csv.DictReader(f)}
    features = json.loads((geography / "gm_ward22_boundaries_generalised.geojson").read_text(encoding="utf-8"))
    return [(WardShape(f["properties"]["area_code"], f["properties"]["area_name"], f["geometry"]),
             district[f["properties"]["area_code"]]) for f in features["features"]]


@pytest.fixture(scope="module")
def manchester(gm_wards) -> list[WardShape]:
    return [shape for shape, district in gm_wards if district == MANCHESTER]


def rings(path: str) -> list[list[tuple[float, float]]]:
    return [[tuple(map(float, p.split(","))) for p in ring.split("L")] for ring in re.findall(r"M([^MZ]+)Z", path)]


def drawn_area(path: str) -> float:
    """Outer rings add, holes (wound the other way in GeoJSON) subtract: the shoelace sum of every ring."""
    return abs(sum(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1])) / 2 for r in rings(path)))


def geodesic_area(geometry: dict) -> float:
    """Square metres on the sphere (the spherical-excess sum d3 and turf use): independent of the pack's projection."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    total = 0.0
    for polygon in polygons:
        for n, ring in enumerate(polygon):
            excess = sum(math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
                         for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1]))
            total += (1 if n == 0 else -1) * abs(excess) * EARTH_RADIUS_M ** 2 / 2
    return total


def inside(point: tuple[float, float], path: str) -> bool:
    x, y = point
    crossings = 0
    for ring in rings(path):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def test_every_ward_of_the_district_is_drawn_once_and_fills_the_drawing_box(manchester):
    shapes = outlines(manchester)
    assert [w.code for w in shapes.wards] == [w.code for w in manchester] and len(manchester) == 32
    assert shapes.width == MAX_WIDTH or shapes.height == MAX_HEIGHT
    assert shapes.width <= MAX_WIDTH and shapes.height <= MAX_HEIGHT
    defs = ET.fromstring(shared_outlines_svg(shapes))
    assert len(defs.findall("./defs/path")) == 32
    svg = ET.fromstring(choropleth_svg(shapes, Choropleth("k", "K", "per 1,000", CLASSES, "fifths", {})))
    drawn = [g.get("data-ward") for g in svg.findall("g")]
    assert drawn == [w.code for w in manchester]
    assert len({g.find("use").get("href") for g in svg.findall("g")}) == 32


def test_the_projection_keeps_each_wards_share_of_the_district_and_the_districts_proportions(manchester):
    shapes = outlines(manchester)
    true = {w.code: geodesic_area(w.geometry) for w in manchester}
    drawn = {w.code: drawn_area(w.path) for w in shapes.wards}
    scale = sum(drawn.values()) / sum(true.values())
    for code in true:
        assert drawn[code] / true[code] == pytest.approx(scale, rel=0.03), code
    points = [p for w in manchester for poly in w.geometry["coordinates"] for ring in poly for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    east_west_m = math.radians(max(lons) - min(lons)) * math.cos(math.radians(sum(lats) / len(lats))) * EARTH_RADIUS_M
    north_south_m = math.radians(max(lats) - min(lats)) * EARTH_RADIUS_M
    assert shapes.width / shapes.height == pytest.approx(east_west_m / north_south_m, rel=0.01)


def test_the_geometry_is_simplified_and_rounded_so_the_pack_stays_small(gm_wards, manchester):
    source_points = sum(len(ring) for w in manchester for poly in w.geometry["coordinates"] for ring in poly)
    defs = shared_outlines_svg(outlines(manchester))
    drawn_points = defs.count("L") + defs.count("M")
    assert drawn_points < source_points * 0.8  # the file is generalised already; bends under half a pixel go
    assert len(defs) < 20_000
    assert not re.search(r"\d\.\d\d", defs)  # a tenth of a pixel at most
    everything = shared_outlines_svg(outlines([shape for shape, _ in gm_wards]))
    assert len(everything) < 120_000  # all of GM's 215 wards, for a map of the whole county


def test_each_ward_key_is_written_inside_its_own_ward(gm_wards):
    for district in sorted({d for _, d in gm_wards}):
        shapes = outlines([shape for shape, d in gm_wards if d == district])
        for ward in shapes.wards:
            assert inside(ward.label_at, ward.path), (district, ward.code, ward.name, ward.label_at)


def test_a_wards_title_gives_its_name_figure_and_class_and_a_ward_without_one_says_no_data(manchester):
    shapes = outlines(manchester)
    first, second = manchester[0], manchester[1]
    readings = {first.code: Reading("12.35", 12.3456, 4), second.code: Reading("0.00", 0.0, 0)}
    violence = Choropleth("k", "Violence", "per 1,000 residents", CLASSES, "n", readings)
    svg = ET.fromstring(choropleth_svg(shapes, violence))
    groups = {g.get("data-ward"): g for g in svg.findall("g")}
    assert groups[first.code].find("title").text == (f"{first.name} ({first.code}): 12.35 per 1,000 residents; "
                                                      "class 5, class label 5")
    assert groups[first.code].get("data-value") == "12.3456" and groups[first.code].find("text").text == "5"
    assert "shade-4" in groups[first.code].get("class")
    # a real zero is a figure in the lightest class; a ward with no figure is grey and says so
    assert groups[second.code].find("title").text.endswith(": 0.00 per 1,000 residents; class 1, class label 1")
    missing = [g for code, g in groups.items() if code not in readings]
    assert len(missing) == 30
    for g in missing:
        assert "no-data" in g.get("class") and g.get("data-value") is None and g.find("text").text == NO_DATA
        assert g.find("title").text.endswith(": no data") and "0" not in g.find("title").text.split(":")[-1]


def test_the_legend_says_what_each_class_means_and_how_many_wards_it_holds(manchester):
    shapes = outlines(manchester)
    readings = {w.code: Reading("1", 1.0, i % 2) for i, w in enumerate(manchester[:10])}
    legend = ET.fromstring(legend_html(Choropleth("k", "K", "rate per 1,000", CLASSES[:2], "fifths of GM", readings),
                                       shapes))
    items = ["".join(li.itertext()) for li in legend.iter("li")]
    assert items == ["1 class label 1 (5 wards)", "2 class label 2 (5 wards)", f"{NO_DATA} no data (22 wards)"]
    assert "fifths of GM" in "".join(legend.find("p").itertext())


def test_ward_names_are_text_never_markup(manchester):
    hostile = [WardShape(w.code, "<script>window.hubXss=1</script>\"'><b>", w.geometry) for w in manchester[:2]]
    svg = choropleth_svg(outlines(hostile), Choropleth("k", "<i>K</i>", "per 1,000", CLASSES, "n",
                                                       {hostile[0].code: Reading("1", 1.0, 0)}))
    assert "<script" not in svg and "<b>" not in svg and "<i>" not in svg
    titles = [g.find("title").text for g in ET.fromstring(svg).findall("g")]
    assert all(t.startswith("<script>window.hubXss=1</script>\"'><b> (") for t in titles)


def test_a_boundary_that_is_not_a_polygon_is_refused(manchester):
    with pytest.raises(ValueError, match="Polygon or MultiPolygon, not 'Point'"):
        outlines([WardShape("E05000001", "Somewhere", {"type": "Point", "coordinates": [-2.2, 53.4]})])
