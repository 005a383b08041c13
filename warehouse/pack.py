"""`hub pack`: one district's performance pack, a single HTML file that opens on a closed network.

Like a borough's quarterly community-safety performance pack: KPIs with RAG, trends, a ward league table, ward
maps, the tactical exception list and the partners' data quality. It reads only the published database, read-only,
like any other reader, so making a pack never blocks a publish and always shows one published snapshot whole. Every
figure comes from a mart; the only arithmetic here is the ward table's sums and rates (said so in its caption), a
change target drawn on a rate chart as a rate, and the maps' class breaks (fifths of the wards' figures, said so in
each legend).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path

from loaders.database import connect
from warehouse.content_policy import policy, with_policy
from warehouse.pack_charts import Trend, trend_chart
from warehouse.pack_maps import (MAP_STYLE, Choropleth, MapClass, Outlines, Reading, WardShape, choropleth_svg,
                                 legend_html, outlines, shared_outlines_svg)
from warehouse.paths import HubPaths

FINANCIAL_YEAR, MONTH = "financial_year", "month"
# Police recorded crime is the Home Office count the KPIs use; a hub holding only police.uk street files has that.
# Never both: the two feeds describe the same crimes.
WARD_FEEDS = ("recorded_crime", "street_crime")
NO_FIGURE = "–"
RAG_MEANING = {
    "G": "Green: on track",
    "A": "Amber: not on track but moving towards the target",
    "R": "Red: not on track",
}


class PackUsageError(ValueError):
    """The district or period asked for is not one the published data has; the message lists those it has."""


@dataclass(frozen=True)
class District:
    code: str
    name: str


@dataclass(frozen=True)
class Period:
    period_type: str  # financial_year or month, as in kpi_results
    label: str  # '2016/17' or '2017-03'
    start: date
    end: date  # the first day of the period's last month, as kpi_results has it

    @property
    def slug(self) -> str:
        return f"fy{self.label.replace('/', '-')}" if self.period_type == FINANCIAL_YEAR else self.label

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def span(self) -> str:
        return f"{self.start:%B %Y}" if self.start == self.end else f"{self.start:%B %Y} – {self.end:%B %Y}"

    @property
    def title(self) -> str:
        return f"Financial year {self.label} ({self.span})" if self.period_type == FINANCIAL_YEAR else self.span


def write_pack(paths: HubPaths, district: str, period: str = "FY") -> Path:
    """Write the pack for `district` (name or code) and `period` ('FY', 'month' or a label); return its path."""
    if not paths.published_db.exists():
        raise FileNotFoundError(f"nothing is published yet at {paths.published_db}: "
                                "run `hub run` (or `hub demo`) first")
    con = connect(paths.published_db, read_only=True)
    try:
        chosen = resolve_district(con, district)
        when = resolve_period(con, chosen, period)
        page = render_pack(con, chosen, when, published_at(paths))
    finally:
        con.close()
    target = paths.published_dir / "packs" / f"{chosen.code}-{when.slug}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed over, so a pack open in a browser is never replaced by half a file.
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, target)
    return target


def published_at(paths: HubPaths) -> datetime:
    """When the published snapshot was made: publishing writes the file whole and renames it into place."""
    return datetime.fromtimestamp(paths.published_db.stat().st_mtime)


def resolve_district(con, asked: str) -> District:
    districts = [District(code, name) for code, name in con.execute(
        "select district_code, district_name from marts.dim_district order by district_name").fetchall()]
    for district in districts:
        if asked.strip().lower() in (district.code.lower(), district.name.lower()):
            return district
    raise PackUsageError(f"no district {asked!r}; name one of: " + ", ".join(d.name for d in districts)
                         + " (or its code, e.g. " + districts[0].code + ")")


def resolve_period(con, district: District, asked: str) -> Period:
    # A month the deliveries do not cover in the district has no KPI, but its pack can still say so.
    periods = [Period(*row) for row in con.execute("""
        select distinct period_type, period_label, period_start, period_end
        from marts.kpi_results
        where level = 'district' and area_code = ? and period_type in (?, ?)
        union
        select distinct ?, strftime(month_start, '%Y-%m'), month_start, month_start
        from marts.fct_district_month
        where district_code = ?
        order by period_start
    """, [district.code, FINANCIAL_YEAR, MONTH, MONTH, district.code]).fetchall()]
    years = [p for p in periods if p.period_type == FINANCIAL_YEAR]
    months = [p for p in periods if p.period_type == MONTH]
    wanted = asked.strip().lower()
    if wanted == "fy" and years:
        return years[-1]
    if wanted == "month" and months:
        return months[-1]
    for period in periods:
        if wanted == period.label.lower():
            return period
    raise PackUsageError(
        f"no period {asked!r} for {district.name}; use FY (latest financial year), month (latest month), "
        f"a financial year ({', '.join(p.label for p in years) or 'none published'}) "
        f"or a month ({', '.join(p.label for p in months) or 'none published'})")


def _rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# ---------------------------------------------------------------------------------------------------------------
# Figures, formatted one way throughout: counts whole (one decimal when the mart's figure is not whole, as for a
# three-year average), rates to two decimals, percentages to one; a missing figure is a dash, never a 0.

def fmt_count(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def fmt_rate(value: float | None) -> str:
    return NO_FIGURE if value is None else f"{value:,.2f}"


def fmt_pct(value: float | None) -> str:
    return NO_FIGURE if value is None else f"{value:.1f}%"


def fmt_people(value: float | None) -> str:
    """Residents and households are whole, though the hub's estimates of them are not."""
    return NO_FIGURE if value is None else f"{value:,.0f}"


def fmt_one_decimal(value: float | None) -> str:
    """Means and indices (expected counts, VLI, target levels): one decimal, so a whole number does not look counted."""
    return NO_FIGURE if value is None else f"{value:,.1f}"


def fmt_change_pct(value: float | None) -> str:
    return NO_FIGURE if value is None else f"{value:+.1f}%"


def fmt_change_abs(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return "0" if value == 0 else ("+" if value > 0 else "-") + fmt_count(abs(value))


def _td(text: str, css: str = "", value: object = None) -> str:
    """A cell: its text escaped, and the mart's raw figure in data-value so a reader (or a test) can check it."""
    attrs = f' class="{css}"' if css else ""
    if value is not None:
        attrs += f' data-value="{escape(str(value))}"'
    return f"<td{attrs}>{escape(text)}</td>"


def _table(css: str, caption: str, headers: list[str], rows: list[str], numeric: tuple[str, ...] = ()) -> str:
    head = "".join(f'<th scope="col" class="{"num" if h in numeric else "text"}">{escape(h)}</th>' for h in headers)
    return (f'<table class="{css}"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


# ---------------------------------------------------------------------------------------------------------------
# The page

def render_pack(con, district: District, period: Period, published: datetime) -> str:
    kpis = _rows(con, """
        select * from marts.kpi_results
        where level = 'district' and area_code = ? and period_type = ? and period_label = ?
        order by kpi_name
    """, [district.code, period.period_type, period.label])
    ward_rates = _ward_rates(con, district, period)
    sections = [
        _coverage_section(con, district, period),
        _kpi_section(kpis, district, period),
        _trend_section(con, kpis, district, period),
        _ward_section(district, period, ward_rates),
        _maps_section(con, kpis, district, period, ward_rates),
        _exceptions_section(con, district),
        _quality_section(con),
    ]
    # The pack runs no script at all, so its policy allows none: a value that slipped past escaping still could not.
    return with_policy(_page(district, period, published, "".join(sections)), policy())


def _coverage_section(con, district: District, period: Period) -> str:
    """The months of the period the partners' deliveries do not cover in the district: their figures are withheld
    (blank, never 0), and a KPI period holding one is incomplete, so it is not judged."""
    gaps = _rows(con, """
        select partner, feed, coverage, list(distinct month_start order by month_start) as months
        from marts.fct_district_month
        where district_code = ? and month_start between ? and ? and not is_covered
        group by partner, feed, coverage
        order by partner, feed, coverage
    """, [district.code, period.start, period.end])
    if not gaps:
        return ""
    items = "".join(
        f'<li data-feed="{escape(g["partner"])}/{escape(g["feed"])}" data-coverage="{escape(g["coverage"])}">'
        f'{escape(g["partner"])} {escape(g["feed"].replace("_", " "))}: '
        f'{escape(", ".join(f"{m:%B %Y}" for m in g["months"]))} - {escape(g["coverage"])}</li>'
        for g in gaps)
    return _section("coverage", "Not covered by the deliveries",
                    f"<p>The partners' deliveries do not cover {escape(district.name)} for these months, so their "
                    f"figures are withheld rather than shown as 0, and a KPI period holding one counts only the "
                    f"months covered and is incomplete (a part period):</p><ul class=\"coverage\">{items}</ul>"
                    f'<p class="caption">Source: marts.fct_district_month (coverage). "suspected partial delivery": '
                    f"the district's count that month was far below its recent level; \"not in delivery\": the "
                    f"month's file does not include the district; \"not delivered\": no file for the month.</p>")


def _kpi_section(kpis: list[dict], district: District, period: Period) -> str:
    rows = [_kpi_row(k) for k in kpis]
    caption = (f"Source: marts.kpi_results, {district.name} (district level), {period.period_type.replace('_', ' ')} "
               f"{period.label}. Change compares with the same period a year earlier; a part period is projected "
               f"to the whole period before comparing.")
    table = _table("kpis", caption, ["KPI", "Value", "Rate", "Per", "Target", "Compared with", "Change", "Change (n)",
                                     "Direction of travel", "RAG", "Notes"], rows,
                   numeric=("Value", "Rate", "Change", "Change (n)"))
    empty = "" if kpis else (f'<p class="empty">No KPI is published for {escape(district.name)} '
                             f"for {escape(period.label)}.</p>")
    return _section("kpis", "1. Key performance indicators", table + empty)


def _kpi_row(k: dict) -> str:
    notes = []
    if k["denominator_is_estimate"]:
        notes.append('<span class="flag" title="The population or household count is the hub\'s estimate">'
                     "est. denominator</span>")
    if not k["is_complete"]:
        notes.append(f'<span class="flag" title="The deliveries do not cover every month of the period here">'
                     f'part period: {k["months_with_data"]} of {k["months_in_period"]} months</span>')
    if k["is_significant"]:
        notes.append(f'<span class="flag" title="Poisson z of the change; |z| of 2 or more is unlikely by chance">'
                     f'significant, z {k["z_score"]:+.1f}</span>')
    direction = k["direction_of_travel"]
    cells = [
        f'<th scope="row">{escape(k["kpi_name"])}<span class="kpi-id">{escape(k["kpi_id"])}</span></th>',
        _td(fmt_count(k["value"]), "value num", k["value"]),
        _td(fmt_rate(k["rate"]), "rate num", k["rate"]),
        _td(f"per {k['rate_per']:,.0f}" if k["rate_per"] else NO_FIGURE, "per"),
        _td(_target_text(k), "target", k["target_value"]),
        _td(k["comparison_label"] or NO_FIGURE, "comparison"),
        _td(fmt_change_pct(k["change_pct"]), "change-pct num", k["change_pct"]),
        _td(fmt_change_abs(k["change_abs"]), "change-abs num", k["change_abs"]),
        _td(direction or NO_FIGURE, f"dot dot-{direction or 'none'}"),
        _rag_cell(k["rag"]),
        f'<td class="notes">{" ".join(notes)}</td>',
    ]
    return f'<tr data-kpi="{escape(k["kpi_id"])}">{"".join(cells)}</tr>'


def _target_text(k: dict) -> str:
    if k["target_type"] is None:
        return NO_FIGURE
    at_most = "at most" if k["polarity"] == "low_is_good" else "at least"
    if k["target_type"] == "change_pct":
        return f"{k['target_value']:+.1f}% on {k['baseline_label']} ({at_most} {fmt_one_decimal(k['target_level'])})"
    return f"rate {at_most} {fmt_rate(k['target_value'])}"


def _rag_cell(rag: str | None) -> str:
    # The letter is the cell's text, so the status reads without colour (print, colour blindness, screen readers).
    if rag is None:
        return '<td class="rag rag-none">no target</td>'
    return (f'<td class="rag rag-{rag}" data-rag="{rag}">'
            f'<abbr title="{escape(RAG_MEANING[rag])}">{rag}</abbr></td>')


def _trend_section(con, kpis: list[dict], district: District, period: Period) -> str:
    history = _rows(con, """
        select kpi_id, period_label, value, rate, denominator, rate_per, target_type, target_level
        from marts.kpi_results
        where level = 'district' and area_code = ? and period_type = ?
        order by kpi_id, period_start
    """, [district.code, period.period_type])
    charts = []
    for k in kpis:
        points = [h for h in history if h["kpi_id"] == k["kpi_id"]]
        per_rate = k["rate"] is not None
        trend = Trend(
            kpi_id=k["kpi_id"], title=k["kpi_name"],
            y_caption=f"rate per {k['rate_per']:,.0f}" if per_rate else "count",
            x_caption=period.period_type.replace("_", " "),
            labels=[p["period_label"] for p in points],
            values=[p["rate"] if per_rate else p["value"] for p in points],
            targets=[_plotted_target(p, per_rate) for p in points],
            selected=period.label)
        charts.append(f'<figure class="chart"><figcaption>{escape(k["kpi_name"])}</figcaption>'
                      f"{trend_chart(trend)}</figure>")
    caption = (f"Source: marts.kpi_results, {district.name}, every {period.period_type.replace('_', ' ')} published. "
               f"Each chart plots the rate (the count where the KPI has no rate); the larger point is {period.label}; "
               f"a dashed line is the period's target.")
    return _section("trends", "2. Trends",
                    f'<p class="caption">{escape(caption)}</p><div class="charts">{"".join(charts)}</div>')


def _plotted_target(point: dict, per_rate: bool) -> float | None:
    if point["target_level"] is None:
        return None
    if point["target_type"] == "change_pct" and per_rate:
        # A change target is a level of the count; the chart plots the rate, so it goes over the same denominator.
        return point["target_level"] / point["denominator"] * point["rate_per"]
    return point["target_level"]


@dataclass(frozen=True)
class WardRates:
    """The league table's police crime by ward: the feed it counts, the months covered, and a row per ward."""
    feed: str | None
    months_covered: int
    wards: list[dict]


def _ward_rates(con, district: District, period: Period) -> WardRates:
    delivered = dict(con.execute("""
        select feed, count(distinct month_start) filter (where is_covered) from marts.fct_ward_month
        where district_code = ? and partner = 'police' and list_contains(?, feed) and month_start between ? and ?
        group by feed
    """, [district.code, list(WARD_FEEDS), period.start, period.end]).fetchall())
    feed = next((f for f in WARD_FEEDS if f in delivered), None)
    if feed is None:
        return WardRates(None, 0, [])
    wards = _rows(con, """
        with ward_month as (
            select ward_code, month_start, sum(incident_count) as incidents,
                   any_value(population) as population, bool_or(population_is_estimate) as population_is_estimate
            from marts.fct_ward_month
            where district_code = ? and partner = 'police' and feed = ? and month_start between ? and ?
            group by ward_code, month_start
        ),

        ward_period as (
            -- the population of the period's first month: kpi_results' rule (the year the period starts)
            select ward_code, sum(incidents) as incident_count, arg_min(population, month_start) as population,
                   bool_or(population_is_estimate) as population_is_estimate
            from ward_month
            group by ward_code
        ),

        ward_rate as (
            select *, incident_count * 1000.0 / population as rate
            from ward_period
        )

        select ward.ward_code, ward.ward_name, ward_rate.incident_count, ward_rate.population,
               ward_rate.population_is_estimate, ward_rate.rate,
               rank() over (order by ward_rate.rate desc nulls last) as rank,
               vli.vli, vli.is_priority, vli.crime_period, vli.priority_threshold,
               quantile_cont(ward_rate.rate, [0.2, 0.4, 0.6, 0.8]) over () as rate_fifths
        from marts.dim_ward as ward
        left join ward_rate on ward_rate.ward_code = ward.ward_code
        left join marts.vli_ward as vli on vli.ward_code = ward.ward_code
        where ward.district_code = ?
        order by rank, ward.ward_name
    """, [district.code, feed, period.start, period.end, district.code])
    return WardRates(feed, delivered[feed], wards)


def _ward_section(district: District, period: Period, rates: WardRates) -> str:
    if rates.feed is None:
        return _section("wards", "3. Ward league table", f'<p class="empty">No police crime is published for '
                                                         f"{escape(district.name)} in {escape(period.label)}.</p>")
    feed, wards = rates.feed, rates.wards
    rows = [
        f'<tr data-ward="{escape(w["ward_code"])}" class="{"priority" if w["is_priority"] else "ward"}">'
        + _td(str(w["rank"]), "rank num")
        + f'<th scope="row">{escape(w["ward_name"])}<span class="kpi-id">{escape(w["ward_code"])}</span></th>'
        + _td(fmt_count(w["incident_count"]), "count num", w["incident_count"])
        + _td(fmt_people(w["population"]) + (" (est.)" if w["population_is_estimate"] else ""), "population num",
              w["population"])
        + _td(fmt_rate(w["rate"]), "rate num", w["rate"])
        + _td(fmt_one_decimal(w["vli"]), "vli num", w["vli"])
        + _td("priority" if w["is_priority"] else "", "vli-priority")
        + "</tr>"
        for w in wards
    ]
    vli_note = next((f" VLI: marts.vli_ward (Greater Manchester = 100, crime period "
                     f"{w['crime_period'] or 'none: no recorded crime published'}); a priority ward scores above "
                     f"{w['priority_threshold']:,.0f}." for w in wards if w["vli"] is not None), "")
    caption = (f"Source: marts.fct_ward_month, police {feed.replace('_', ' ')}, every category, summed over "
               f"{period.span} ({rates.months_covered} of {period.months} month{'s' if period.months > 1 else ''} "
               f"covered by the deliveries; a month not covered adds nothing and a ward with none shows –). "
               f"Rate per 1,000 residents (the ward's population in the period's first month; est. = the hub's "
               f"estimate); rank 1 = the highest rate.{vli_note}")
    table = _table("wards", caption, ["Rank", "Ward", "Crimes", "Population", "Rate per 1,000", "VLI", "VLI priority"],
                   rows, numeric=("Rank", "Crimes", "Population", "Rate per 1,000", "VLI"))
    return _section("wards", "3. Ward league table", table)


def _maps_section(con, kpis: list[dict], district: District, period: Period, rates: WardRates) -> str:
    """A map of each of the pack's KPIs that has ward figures for the period - or, when none has, of the league
    table's rate - and one of the VLI priority wards."""
    shapes = _ward_outlines(con, district)
    if shapes is None:
        return _section("maps", "4. Ward maps", f'<p class="empty">No ward boundaries are published for '
                                                f"{escape(district.name)}, so there are no ward maps.</p>")
    by_ward = _ward_kpi_maps(con, kpis, district, period)
    maps = [*by_ward, None if by_ward else _league_table_map(rates, period), _vli_map(con, district)]
    mapped = {m.map_id for m in by_ward}
    unmapped = [k["kpi_name"] for k in kpis if k["kpi_id"] not in mapped]
    figures = "".join(
        f'<figure class="map" data-map="{escape(m.map_id)}"><figcaption>{escape(m.title)}</figcaption>'
        f"{choropleth_svg(shapes, m)}{legend_html(m, shapes)}</figure>" for m in maps if m is not None)
    caption = (f"Boundaries: marts.dim_ward_boundary (wards of May 2022, generalised). KPI maps: marts.kpi_results at "
               f"ward level, {period.period_type.replace('_', ' ')} {period.label}"
               + ("" if all(k["is_complete"] for k in kpis) else ", a part period: the months covered only")
               + ". Each ward shows its class key; its title (hover) gives its name, figure and class. "
               + (f"No ward figures for {period.label}: {'; '.join(unmapped)} (district figures in section 1)."
                  if unmapped else ""))
    return _section("maps", "4. Ward maps", f'<p class="caption">{escape(caption)}</p>{shared_outlines_svg(shapes)}'
                                            f'<div class="maps">{figures}</div>')


def _ward_outlines(con, district: District) -> Outlines | None:
    published = con.execute("select count(*) from information_schema.tables "
                            "where table_schema = 'marts' and table_name = 'dim_ward_boundary'").fetchone()[0]
    if not published:
        return None
    wards = con.execute("""
        select ward.ward_code, ward.ward_name, boundary.boundary_geojson
        from marts.dim_ward as ward
        join marts.dim_ward_boundary as boundary on boundary.ward_code = ward.ward_code
        where ward.district_code = ?
        order by ward.ward_name
    """, [district.code]).fetchall()
    return outlines([WardShape(code, name, json.loads(geojson)) for code, name, geojson in wards]) if wards else None


def _ward_kpi_maps(con, kpis: list[dict], district: District, period: Period) -> list[Choropleth]:
    """Each KPI's ward figures in the district, classed by fifths of every ward's figure in the hub's area, so a
    class means the same in every district's pack."""
    shown = "case when rate_per is not null then rate else value end"  # the rate, or the count of a KPI with no rate
    fifths = {row["kpi_id"]: row for row in _rows(con, f"""
        select kpi_id, count({shown}) as rated, quantile_cont({shown}, [0.2, 0.4, 0.6, 0.8]) as breaks
        from marts.kpi_results
        where level = 'ward' and period_type = ? and period_label = ?
        group by kpi_id
        having count({shown}) > 0
    """, [period.period_type, period.label])}
    figures = _rows(con, f"""
        select result.kpi_id, result.area_code, {shown} as figure
        from marts.kpi_results as result
        join marts.dim_ward as ward on ward.ward_code = result.area_code
        where result.level = 'ward' and result.period_type = ? and result.period_label = ? and ward.district_code = ?
          and {shown} is not null
    """, [period.period_type, period.label, district.code])
    (area,) = con.execute("select any_value(county_name) from marts.dim_district").fetchone()
    maps = []
    for k in kpis:
        if k["kpi_id"] not in fifths:
            continue
        residents = "households" if k["denominator_kind"] == "households" else "residents"
        measure = f"per {k['rate_per']:,.0f} {residents}" if k["rate_per"] else "incidents"
        note = (f"classes are fifths of all {fifths[k['kpi_id']]['rated']} {area} wards' figures for "
                f"{period.label} (1 = the lowest fifth), the same in every district's pack")
        maps.append(_in_fifths(k["kpi_id"], k["kpi_name"], measure, note, fifths[k["kpi_id"]]["breaks"],
                               {f["area_code"]: f["figure"] for f in figures if f["kpi_id"] == k["kpi_id"]},
                               fmt_rate if k["rate_per"] else fmt_count))
    return maps


def _league_table_map(rates: WardRates, period: Period) -> Choropleth | None:
    """The league table's rate, for a period in which no KPI has ward figures (a hub with police.uk street crime
    alone, say): the district's wards are all it has, so its classes are the district's fifths."""
    rated = {w["ward_code"]: w["rate"] for w in rates.wards if w["rate"] is not None}
    if not rated:
        return None
    note = (f"classes are fifths of the district's {len(rated)} ward rates for {period.label} (1 = the lowest "
            f"fifth); no KPI has ward figures for the period, so this is the ward league table's rate")
    return _in_fifths("ward_league_table", f"Police {rates.feed.replace('_', ' ')} per 1,000 residents",
                      "per 1,000 residents", note, rates.wards[0]["rate_fifths"], rated, fmt_rate)


def _in_fifths(map_id: str, title: str, measure: str, note: str, breaks: list[float], figures: dict[str, float],
               fmt) -> Choropleth:
    """A map of `figures` by ward, classed by the fifths' `breaks`: class k holds the figures over break k-1 up to
    break k. Tied breaks (many wards on one figure) merge their classes."""
    breaks = sorted(set(breaks))
    classes = tuple(MapClass(str(i + 1), _class_range(breaks, i, fmt)) for i in range(len(breaks) + 1))
    readings = {code: Reading(fmt(value), value, sum(value > b for b in breaks)) for code, value in figures.items()}
    return Choropleth(map_id, title, measure, classes, note, readings)


def _class_range(breaks: list[float], index: int, fmt) -> str:
    if index == 0:
        return f"up to {fmt(breaks[0])}"
    if index == len(breaks):
        return f"over {fmt(breaks[-1])}"
    return f"over {fmt(breaks[index - 1])} to {fmt(breaks[index])}"


def _vli_map(con, district: District) -> Choropleth | None:
    wards = _rows(con, """
        select vli.ward_code, vli.vli, vli.is_priority, vli.priority_threshold, vli.crime_period
        from marts.vli_ward as vli
        join marts.dim_ward as ward on ward.ward_code = vli.ward_code
        where ward.district_code = ? and vli.vli is not null
    """, [district.code])
    if not wards:
        return None
    threshold = fmt_count(wards[0]["priority_threshold"])
    classes = (MapClass("1", "VLI 100 or below: at or below the reference area"),
               MapClass("2", f"VLI over 100 to {threshold}: above the reference area"),
               MapClass("P", f"priority ward: VLI over {threshold}"))
    readings = {w["ward_code"]: Reading(fmt_one_decimal(w["vli"]), w["vli"],
                                        2 if w["is_priority"] else int(w["vli"] > 100)) for w in wards}
    note = (f"marts.vli_ward, crime period {wards[0]['crime_period'] or 'none'}; the reference area scores 100 and "
            f"a ward scoring above {threshold} is a priority ward")
    return Choropleth("vli", "Vulnerable Localities Index: priority wards", "VLI", classes, note, readings)


def _exceptions_section(con, district: District) -> str:
    exceptions = _rows(con, """
        select ward_code, ward_name, partner, feed, category_group, month_start, direction, exception_level,
               exception_rank, z_score, current_count, expected_count, difference_from_expected
        from marts.tactical_exceptions
        where district_code = ? and is_on_exception_list
        order by partner, feed, direction desc, exception_rank
    """, [district.code])
    rows = [
        f'<tr data-ward="{escape(e["ward_code"])}" class="{escape(e["direction"])}">'
        + f'<th scope="row">{escape(e["ward_name"])}</th>'
        + _td(f"{e['partner']} {e['feed'].replace('_', ' ')}", "feed")
        + _td(e["category_group"], "group")
        + _td(f"{e['month_start']:%b %Y}", "month")
        + _td(("▲ " if e["direction"] == "rise" else "▼ ") + e["direction"], "direction")
        + _td(e["exception_level"], f"level level-{e['exception_level']}")
        + _td(str(e["exception_rank"]), "rank num")
        + _td(fmt_count(e["current_count"]), "current num", e["current_count"])
        + _td(fmt_one_decimal(e["expected_count"]), "expected num", e["expected_count"])
        + _td(f"{e['difference_from_expected']:+.1f}", "difference num", e["difference_from_expected"])
        + _td(f"{e['z_score']:+.2f}", "z num", e["z_score"])
        + "</tr>"
        for e in exceptions
    ]
    caption = ("Source: marts.tactical_exceptions, each feed's latest month delivered (not the pack's period): the "
               "district's exception list, the top five rises and falls per feed, ranked by Poisson z "
               "(warning |z| ≥ 2, alarm |z| ≥ 3). Expected = the mean of the previous twelve months.")
    if not exceptions:
        return _section("exceptions", "5. Tactical exceptions",
                        f'<p class="caption">{escape(caption)}</p><p class="empty">No ward in {escape(district.name)} '
                        f"is on an exception list for the latest month.</p>")
    table = _table("exceptions", caption, ["Ward", "Feed", "Category", "Month", "Direction", "Level", "Rank", "Current",
                                           "Expected", "Difference", "z"], rows,
                   numeric=("Rank", "Current", "Expected", "Difference", "z"))
    return _section("exceptions", "5. Tactical exceptions", table)


def _quality_section(con) -> str:
    feeds = _rows(con, """
        select partner, feed, month_start, period_grain, latest_period, rows_received, rows_rejected, located_pct,
               in_gm_ward_pct, categorised_pct, days_late, next_month_overdue_days, expectations_passed,
               expectations_failed, critical_expectations_failed
        from marts.dq_partner_scorecard
        where is_latest_month
        order by partner, feed
    """, [])
    rows = [
        f'<tr data-feed="{escape(f["partner"])}/{escape(f["feed"])}">'
        + f'<th scope="row">{escape(f["partner"])}<span class="kpi-id">{escape(f["feed"])}</span></th>'
        + _td(f"{f['month_start']:%b %Y}" if f["period_grain"] == "month" else f["latest_period"], "month")
        + _td(fmt_count(f["rows_received"]), "received num", f["rows_received"])
        + _td(fmt_count(f["rows_rejected"]), "rejected num", f["rows_rejected"])
        + _td(fmt_pct(f["located_pct"]), "located num", f["located_pct"])
        + _td(fmt_pct(f["in_gm_ward_pct"]), "in-ward num", f["in_gm_ward_pct"])
        + _td(fmt_pct(f["categorised_pct"]), "categorised num", f["categorised_pct"])
        + _td(fmt_count(f["days_late"]), "late num" + (" warn" if f["days_late"] else ""), f["days_late"])
        + _td(fmt_count(f["next_month_overdue_days"]),
              "overdue num" + (" warn" if f["next_month_overdue_days"] else ""), f["next_month_overdue_days"])
        + _td(fmt_count(f["expectations_passed"]), "passed num", f["expectations_passed"])
        + _td(fmt_count(f["expectations_failed"]) + (f" ({f['critical_expectations_failed']} critical)"
                                                     if f["critical_expectations_failed"] else ""),
              "failed num" + (" warn" if f["expectations_failed"] else ""), f["expectations_failed"])
        + "</tr>"
        for f in feeds
    ]
    caption = ("Source: marts.dq_partner_scorecard, each feed's latest month delivered (a yearly feed's latest "
               "year). Deliveries are Greater Manchester-wide, not this district's alone. Expectations are the latest "
               "quality run's, over all of the partner's tables.")
    table = _table("quality", caption, ["Partner / feed", "Latest period", "Rows received", "Rejected", "Located",
                                        "In a GM ward", "Categorised", "Days late", "Next month overdue (days)",
                                        "Expectations passed", "Failed"], rows,
                   numeric=("Rows received", "Rejected", "Located", "In a GM ward", "Categorised", "Days late",
                            "Next month overdue (days)", "Expectations passed", "Failed"))
    return _section("quality", "6. Partner data quality", table)


def _section(anchor: str, heading: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(heading)}</h2>{body}</section>'


def _page(district: District, period: Period, published: datetime, body: str) -> str:
    legend = "".join(f'<li><span class="rag rag-{letter}">{letter}</span> {escape(RAG_MEANING[letter])}</li>'
                     for letter in "GAR")
    title = f"{district.name} community safety performance pack, {period.label}"
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}{MAP_STYLE}</style>
</head>
<body>
<header>
<p class="kicker">Greater Manchester partnership data hub · Community safety partnership</p>
<h1>{escape(district.name)} performance pack</h1>
<p class="period">{escape(period.title)}</p>
<p class="meta">District {escape(district.code)} · figures as published {published:%d %B %Y, %H:%M}
(the published hub database, read-only)</p>
</header>
<main>
<aside class="how-to-read" aria-label="How to read this pack">
<h2>How to read this pack</h2>
<ul class="legend">{legend}
<li><span class="rag rag-none">no target</span> the KPI has no target for the period</li></ul>
<p>On track means the projected outturn for the period meets the target, allowing for whether a KPI should go
down or up. Moving towards the target means the direction of travel, against the same period a year earlier, is
improving. Rates are per the population (or households) shown; “est.” marks a denominator the hub has estimated.</p>
</aside>
{body}
</main>
<footer>Made by <code>hub pack</code> from the published marts named under each table. Restricted: partnership use
only; small counts are not suppressed.</footer>
</body>
</html>
"""


STYLE = """
:root { --ink: #1b1f24; --muted: #5b6470; --rule: #d5dae1; --band: #16324f; --zebra: #f5f7fa;
        --g: #1e7b34; --a: #f2b01e; --r: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.4;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background: var(--band); color: #fff; padding: 24px 40px 20px; }
header h1 { margin: 4px 0; font-size: 28px; }
header .kicker { margin: 0; text-transform: uppercase; letter-spacing: .06em; font-size: 12px; opacity: .8; }
header .period { margin: 0; font-size: 18px; }
header .meta { margin: 8px 0 0; font-size: 12px; opacity: .8; }
main { padding: 8px 40px 24px; max-width: 1400px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--band); }
.how-to-read { border: 1px solid var(--rule); border-left: 4px solid var(--band); background: var(--zebra);
               padding: 4px 16px 8px; margin-top: 20px; }
.how-to-read h2 { border: 0; font-size: 15px; margin: 8px 0 4px; }
.how-to-read p { margin: 6px 0; color: var(--muted); }
.legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 20px; }
.legend .rag { display: inline-block; min-width: 28px; text-align: center; padding: 1px 6px; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; font-variant-numeric: tabular-nums; }
caption, .caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 12px; padding-top: 6px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--ink); }
tbody tr:nth-child(even) { background: var(--zebra); }
tbody th { font-weight: 600; }
td.num, td.per, thead th { white-space: nowrap; }
td.num, th.num { text-align: right; }
table.wards { max-width: 1000px; }
.kpi-id { display: block; font-weight: 400; font-size: 11px; color: var(--muted); }
td.rag { text-align: center; vertical-align: middle; font-weight: 700; width: 72px; white-space: nowrap; }
.rag-G { background: var(--g); color: #fff; }
.rag-A { background: var(--a); color: #000; }
.rag-R { background: var(--r); color: #fff; }
.rag-none { color: var(--muted); font-weight: 400; font-size: 12px; background: transparent; }
td.rag abbr { text-decoration: none; }
.dot-improving { color: var(--g); } .dot-worsening { color: var(--r); } .dot-stable, .dot-none { color: var(--muted); }
.flag { display: inline-block; font-size: 11px; color: var(--muted); border: 1px solid var(--rule);
        border-radius: 3px; padding: 0 4px; margin: 1px 2px 1px 0; white-space: nowrap; }
td.target { font-size: 12px; }
tr.priority th, tr.priority td.vli-priority { color: var(--r); font-weight: 700; }
tr.rise td.direction { color: var(--r); } tr.fall td.direction { color: var(--g); }
td.level-alarm { font-weight: 700; }
td.warn { color: var(--r); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
.maps { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px; }
figure.map { margin: 0; padding: 8px; border: 1px solid var(--rule); break-inside: avoid; }
figure.map { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-start; }
figure.map figcaption { flex-basis: 100%; font-weight: 600; font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(350px, 1fr)); gap: 12px; }
figure.chart { margin: 0; padding: 8px; border: 1px solid var(--rule); break-inside: avoid; }
figure.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
svg.trend { display: block; width: 100%; height: auto; max-width: 340px; }
svg .grid { stroke: #e3e7ec; stroke-width: 1; }
svg .tick { fill: var(--muted); font-size: 10px; }
svg .axis-caption { fill: var(--muted); font-size: 10px; font-style: italic; }
svg .line { fill: none; stroke: var(--band); stroke-width: 2; }
svg .point { fill: var(--band); }
svg .point.selected { fill: #fff; stroke: var(--band); stroke-width: 2.5; }
svg .target { stroke: var(--r); stroke-width: 1.5; stroke-dasharray: 5 3; }
footer { padding: 12px 40px 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--rule); }
@media print {
  header { background: none; color: var(--ink); padding: 0 0 8px; border-bottom: 3px solid var(--band); }
  main, footer { padding-left: 0; padding-right: 0; }
  section { break-inside: avoid-page; }
  .rag-G, .rag-A, .rag-R { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""
