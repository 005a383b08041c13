"""Ward choropleth maps for the performance pack: inline SVG, no script, no network, drawn from GeoJSON boundaries.

Projection: equirectangular, longitude scaled by the cosine of the district's middle latitude. Across a district
(tens of kilometres) that keeps shapes and areas true to well under a pixel at the size the pack draws them, so the
heavier projections a national map needs buy nothing here.

Each district's ward outlines are projected once, simplified to half a pixel and rounded to a tenth of one, and
written once per pack as shared <path>s that every map <use>s: the pack carries the geometry once, however many
maps it draws. A ward says what it shows in text as well as colour: its class key is written on it, its <title>
(the tooltip, and what a screen reader reads) gives its name, value and class, and a ward without a value is drawn
grey with a dashed edge and says "no data" - never shown as a zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

MAX_WIDTH, MAX_HEIGHT = 440, 380  # px: the drawing fits this box with the district's own proportions
SIMPLIFY_PX = 0.5  # a boundary bend smaller than this is not visible at the drawn size
SMALLEST_ISLAND_PX2 = 2.0  # smaller rings (islets, slivers) vanish at the drawn size; a ward's largest ring stays
NO_DATA = "–"
# Sequential, light to dark (ColorBrewer YlOrRd 5): it runs in lightness too, so it reads in greyscale and for
# colour-blind readers, and the class key written on each ward carries the class without colour at all.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
FIRST_DARK_SHADE = 3  # this shade and darker ones take white text

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class WardShape:
    code: str
    name: str
    geometry: dict  # a GeoJSON Polygon or MultiPolygon, longitude/latitude (WGS84)


@dataclass(frozen=True)
class Outline:
    """A ward as drawn: its SVG path on the page and a point inside it for its label."""
    code: str
    name: str
    path: str
    label_at: Point


@dataclass(frozen=True)
class Outlines:
    width: float
    height: float
    wards: tuple[Outline, ...]


@dataclass(frozen=True)
class MapClass:
    key: str  # the short text drawn on each ward of the class, e.g. "3" or "P"
    label: str  # what the class means, e.g. "over 41.20 to 55.70"


@dataclass(frozen=True)
class Reading:
    """One ward's figure: as the pack shows it, as the mart has it, and the class it falls in."""
    text: str
    value: float
    class_index: int


@dataclass(frozen=True)
class Choropleth:
    map_id: str  # e.g. the KPI's id; carried as data-map
    title: str
    measure: str  # what the values are, e.g. "rate per 1,000 residents"
    classes: tuple[MapClass, ...]  # lightest first
    legend_note: str  # how the classes were chosen, shown with the legend
    readings: dict[str, Reading]  # by ward code; a ward without one has no data


# ---------------------------------------------------------------------------------------------------------------
# Geometry

def outlines(wards: list[WardShape]) -> Outlines:
    """The wards projected, fitted into the drawing box, simplified and rounded: the shapes every map shares."""
    polygons = {w.code: _polygons(w.geometry) for w in wards}
    points = [p for polys in polygons.values() for poly in polys for ring in poly for p in ring]
    if not points:
        raise ValueError("no ward has a boundary to draw")
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * stretch, 1e-9), max(north - south, 1e-9)
    scale = min(MAX_WIDTH / span_x, MAX_HEIGHT / span_y)

    def project(lon: float, lat: float) -> Point:
        return round((lon - west) * stretch * scale, 1), round((north - lat) * scale, 1)

    drawn = []
    for ward in wards:
        projected = [[_simplify([project(*p) for p in ring]) for ring in poly] for poly in polygons[ward.code]]
        largest = max((poly[0] for poly in projected), key=lambda ring: abs(_area(ring)))
        kept = [ring for poly in projected for ring in poly
                if ring is largest or (len(ring) >= 4 and abs(_area(ring)) >= SMALLEST_ISLAND_PX2)]
        drawn.append(Outline(ward.code, ward.name, " ".join(_path(ring) for ring in kept), _inside(largest, kept)))
    return Outlines(round(span_x * scale, 1), round(span_y * scale, 1), tuple(drawn))


def _polygons(geometry: dict) -> list[list[Ring]]:
    """A (Multi)Polygon as a list of polygons, each its outer ring then its holes, as (lon, lat) points."""
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        rings = geometry["coordinates"]
    else:
        raise ValueError(f"a ward boundary must be a Polygon or MultiPolygon, not {kind!r}")
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in rings]


def _simplify(ring: Ring) -> Ring:
    """Douglas-Peucker to SIMPLIFY_PX, after dropping points that rounding made repeats."""
    points = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    if len(points) < 4:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        distance, farthest = max((_distance(points[i], points[first], points[last]), i) for i in range(first + 1, last))
        if distance > SIMPLIFY_PX:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, last)]
    return [points[i] for i in sorted(keep)]


def _distance(p: Point, a: Point, b: Point) -> float:
    """From p to the segment a-b (a closed ring starts and ends on one point, so a-b may be a point)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2


def _path(ring: Ring) -> str:
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in ring) + "Z"


def _inside(outer: Ring, rings: list[Ring]) -> Point:
    """A point inside the outer ring and outside every hole, for the ward's label: the middle of the widest run
    inside the shape along the horizontal line through the outer ring's middle (a centroid can fall outside a
    crescent-shaped ward; this cannot)."""
    ys = [p[1] for p in outer]
    y = (min(ys) + max(ys)) / 2
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for ring in rings for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])
        if (y1 <= y < y2) or (y2 <= y < y1))
    runs = list(zip(crossings[::2], crossings[1::2]))
    if not runs:
        xs = [p[0] for p in outer]
        return round((min(xs) + max(xs)) / 2, 1), round(y, 1)
    left, right = max(runs, key=lambda run: run[1] - run[0])
    return round((left + right) / 2, 1), round(y, 1)


# ---------------------------------------------------------------------------------------------------------------
# Drawing

def shared_outlines_svg(shapes: Outlines) -> str:
    """The ward outlines as an undisplayed SVG of definitions, written once before the maps that <use> them."""
    paths = "".join(f'<path id="{_outline_id(i)}" d="{ward.path}"/>' for i, ward in enumerate(shapes.wards))
    return f'<svg class="map-outlines" aria-hidden="true" focusable="false"><defs>{paths}</defs></svg>'


def choropleth_svg(shapes: Outlines, choropleth: Choropleth) -> str:
    """The map: each ward filled by its class, with its class key written on it and its figure in its <title>."""
    shades = _shades(len(choropleth.classes))
    wards = []
    for i, ward in enumerate(shapes.wards):
        reading = choropleth.readings.get(ward.code)
        if reading is None:
            css, key, value_attr = "ward no-data", NO_DATA, ""
            title = f"{ward.name} ({ward.code}): no data"
        else:
            shade = shades[reading.class_index]
            map_class = choropleth.classes[reading.class_index]
            css = f"ward {_shade_css(shade)}"
            key, value_attr = map_class.key, f' data-value="{escape(str(reading.value))}"'
            title = (f"{ward.name} ({ward.code}): {reading.text} {choropleth.measure}; "
                     f"class {map_class.key}, {map_class.label}")
        x, y = ward.label_at
        wards.append(f'<g class="{css}" data-ward="{escape(ward.code)}"{value_attr}>'
                     f"<title>{escape(title)}</title>"
                     f'<use href="#{_outline_id(i)}"/>'
                     f'<text class="ward-key" x="{x:g}" y="{y:g}" aria-hidden="true">{escape(key)}</text></g>')
    label = f"{choropleth.title}: {choropleth.measure} by ward"
    return (f'<svg class="choropleth" role="group" data-map="{escape(choropleth.map_id)}" '
            f'viewBox="0 0 {shapes.width:g} {shapes.height:g}" width="{shapes.width:g}" height="{shapes.height:g}" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(wards)}</svg>')


def legend_html(choropleth: Choropleth, wards: Outlines) -> str:
    """The map's key as text: each class's key, swatch, meaning and how many of the district's wards it holds."""
    shades = _shades(len(choropleth.classes))
    counts = [sum(1 for w in wards.wards if (r := choropleth.readings.get(w.code)) and r.class_index == i)
              for i in range(len(choropleth.classes))]
    missing = sum(1 for w in wards.wards if w.code not in choropleth.readings)
    items = [f'<li data-class="{escape(c.key)}"><span class="swatch {_shade_css(shades[i])}">{escape(c.key)}</span> '
             f'{escape(c.label)} <span class="ward-count">({counts[i]} ward{"" if counts[i] == 1 else "s"})</span></li>'
             for i, c in enumerate(choropleth.classes)]
    items.append(f'<li data-class="no-data"><span class="swatch no-data">{NO_DATA}</span> no data '
                 f'<span class="ward-count">({missing} ward{"" if missing == 1 else "s"})</span></li>')
    heading = choropleth.measure[:1].upper() + choropleth.measure[1:]
    return (f'<div class="map-legend"><p>{escape(heading)}: {escape(choropleth.legend_note)}</p>'
            f'<ul>{"".join(items)}</ul></div>')


def _outline_id(index: int) -> str:
    # By position, not ward code: an id is markup the pack makes, never a value a partner sent.
    return f"ward-outline-{index}"


def _shade_css(shade: int) -> str:
    return f"shade-{shade}" + (" dark" if shade >= FIRST_DARK_SHADE else "")


def _shades(classes: int) -> list[int]:
    """Palette positions for `classes` classes, spread from the lightest to the darkest."""
    if classes == 1:
        return [len(PALETTE) - 1]
    return [round(i * (len(PALETTE) - 1) / (classes - 1)) for i in range(classes)]


SHADE_STYLE = "".join(f".shade-{i} {{ fill: {colour}; background: {colour}; }}\n" for i, colour in enumerate(PALETTE))
MAP_STYLE = SHADE_STYLE + """
svg.map-outlines { position: absolute; width: 0; height: 0; overflow: hidden; }
svg.choropleth { display: block; max-width: 100%; height: auto; }
svg.choropleth .ward use { stroke: #3d4550; stroke-width: 0.6; stroke-linejoin: round; }
svg.choropleth .ward:hover use { stroke: #000; stroke-width: 2; }
svg.choropleth .no-data use { fill: #e4e6ea; stroke-dasharray: 3 2; }
svg.choropleth .ward-key { font-size: 9px; text-anchor: middle; dominant-baseline: central; fill: #1b1f24;
                           pointer-events: none; }
svg.choropleth .dark .ward-key { fill: #fff; }
.map-legend { flex: 1 1 200px; }
.map-legend ul { list-style: none; padding: 0; margin: 4px 0; }
.map-legend li { margin: 2px 0; font-size: 12px; }
.map-legend p { margin: 4px 0; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; min-width: 22px; text-align: center; font-size: 11px; border: 1px solid #3d4550;
          margin-right: 4px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.swatch.dark { color: #fff; }
.swatch.no-data { background: #e4e6ea; border-style: dashed; }
.ward-count { color: var(--muted); }
"""
