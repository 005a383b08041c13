"""`hub pack`: a district's performance pack opens with the network cut off and shows exactly what the marts say."""

from __future__ import annotations

import math
import re
import shutil
from html import escape
from pathlib import Path

import duckdb
import pytest

from tests.browser import offline_page, open_for_payloads
from tests.helpers import hub_cli
from warehouse.pack import write_pack
from warehouse.paths import HubPaths

# Manchester has the demo's richest pack: targets with RAG and wards on the exception list.
DISTRICT_NAME, DISTRICT_CODE = "Manchester", "E08000003"
NO_FIGURE = "–"

# What a reader sees, read from the rendered page rather than the HTML source.
READ_PAGE = """() => {
    const text = (row, css) => row.querySelector(css).innerText.trim();
    return {
        kpis: [...document.querySelectorAll('tr[data-kpi]')].map(row => ({
            kpi: row.dataset.kpi, value: text(row, 'td.value'), rate: text(row, 'td.rate'),
            change_pct: text(row, 'td.change-pct'), change_abs: text(row, 'td.change-abs'),
            rag: row.querySelector('td.rag').getAttribute('data-rag'), rag_text: text(row, 'td.rag')})),
        charts: [...document.querySelectorAll('svg[data-kpi]')].map(svg => ({
            kpi: svg.dataset.kpi, role: svg.getAttribute('role'), label: svg.getAttribute('aria-label'),
            title: svg.querySelector(':scope > title').textContent,
            points: svg.querySelectorAll('circle.point').length, lines: svg.querySelectorAll('path.line').length,
            width: svg.getBoundingClientRect().width})),
        wards: [...document.querySelectorAll('table.wards tr[data-ward]')].map(row => ({
            ward: row.dataset.ward, count: text(row, 'td.count'), priority: text(row, 'td.vli-priority')})),
        maps: [...document.querySelectorAll('figure.map')].map(figure => ({
            map: figure.dataset.map, role: figure.querySelector('svg.choropleth').getAttribute('role'),
            wards: [...figure.querySelectorAll('svg.choropleth g.ward')].map(g => ({
                ward: g.dataset.ward, title: g.querySelector('title').textContent,
                key: g.querySelector('text').textContent, drawn: g.getBBox().width * g.getBBox().height})),
            legend: [...figure.querySelectorAll('.map-legend li')].map(li => li.innerText.trim())})),
        maps_caption: document.querySelector('section#maps p.caption').innerText,
    };
}"""


def published_rows(home: Path, sql: str, params: list | None = None) -> list[dict]:
    con = duckdb.connect(str(home / "published" / "hub.duckdb"), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def latest_label(home: Path, district: str, period_type: str) -> str:
    (row,) = published_rows(home, """
        select period_label from marts.kpi_results where level = 'district' and area_code = ? and period_type = ?
        order by period_start desc limit 1""", [district, period_type])
    return row["period_label"]


def kpi_results(home: Path, district: str, period_type: str, label: str) -> dict[str, dict]:
    rows = published_rows(home, """
        select * from marts.kpi_results
        where level = 'district' and area_code = ? and period_type = ? and period_label = ?""",
                          [district, period_type, label])
    return {r["kpi_id"]: r for r in rows}


def shown(text: str) -> tuple[float | None, int]:
    """A figure as displayed ('1,234', '+6.0%', '-4', '2.92', '–') and the number of decimals it is shown to."""
    if text == NO_FIGURE:
        return None, 0
    number = text.replace(",", "").replace("%", "").replace("+", "")
    return float(number), len(number.partition(".")[2])


@pytest.fixture(scope="module")
def year(demo) -> str:
    return latest_label(demo[0], DISTRICT_CODE, "financial_year")


@pytest.fixture(scope="module")
def pack(demo) -> Path:
    home, _ = demo
    result = hub_cli(home, "pack", DISTRICT_NAME.lower())
    assert result.returncode == 0, result.stdout + result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rendered(pack, tmp_path_factory) -> tuple[dict, list[str], Path]:
    """The pack opened once in headless Chromium with the network cut off: what it shows, what it asked the network
    for, and a full-page screenshot (also kept beside the pack, for a person to look at)."""
    attempted: list[str] = []
    screenshot = tmp_path_factory.mktemp("pack") / f"{pack.stem}.png"
    with offline_page(attempted) as page:
        page.goto(pack.as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(screenshot), full_page=True)
        seen = page.evaluate(READ_PAGE)
    shutil.copy(screenshot, pack.with_suffix(".png"))
    return seen, attempted, screenshot


def test_the_pack_is_written_beside_the_published_data_for_the_latest_year(demo, pack, year):
    home, _ = demo
    assert pack == home / "published" / "packs" / f"{DISTRICT_CODE}-fy{year.replace('/', '-')}.html"
    html = pack.read_text(encoding="utf-8")
    assert DISTRICT_NAME in html and year in html
    # Self-contained: nothing to fetch, nothing to run.
    for outside in ("http:", "https:", "//", "<script", "<link", "@import", "url(", "src="):
        assert outside not in html, outside


def test_the_pack_opens_with_the_network_cut_off(rendered, pack):
    seen, attempted, screenshot = rendered
    assert attempted == []
    assert seen["kpis"] and seen["charts"] and seen["wards"] and seen["maps"]
    assert screenshot.stat().st_size > 50_000  # a rendered report, not a blank page
    assert pack.with_suffix(".png").read_bytes() == screenshot.read_bytes()


def test_every_kpi_row_carries_its_rag_as_a_letter(demo, rendered, year):
    seen, _, _ = rendered
    expected = kpi_results(demo[0], DISTRICT_CODE, "financial_year", year)
    assert sorted(row["kpi"] for row in seen["kpis"]) == sorted(expected)
    assert any(r["rag"] for r in expected.values()), "the demo should give Manchester some RAG ratings"
    for row in seen["kpis"]:
        rag = expected[row["kpi"]]["rag"]
        assert (row["rag"], row["rag_text"]) == ((rag, rag) if rag else (None, "no target")), row


def test_each_kpi_has_one_labelled_trend_chart_with_every_period_plotted(demo, rendered):
    seen, _, _ = rendered
    periods = {r["kpi_id"]: r["n"] for r in published_rows(demo[0], """
        select kpi_id, any_value(kpi_name) as name, count(*) as n from marts.kpi_results
        where level = 'district' and area_code = ? and period_type = 'financial_year' group by kpi_id""",
                                                             [DISTRICT_CODE])}
    names = {r["kpi"]: r for r in seen["kpis"]}
    assert sorted(c["kpi"] for c in seen["charts"]) == sorted(names)
    for chart in seen["charts"]:
        assert chart["role"] == "img" and chart["label"] and chart["title"] == chart["label"], chart
        assert chart["points"] == periods[chart["kpi"]] >= 1 and chart["lines"] >= 1, chart
        assert chart["width"] > 200, chart  # drawn at a readable size, not collapsed


def test_the_figures_shown_are_the_published_figures(demo, rendered, year):
    seen, _, _ = rendered
    expected = kpi_results(demo[0], DISTRICT_CODE, "financial_year", year)
    for row in seen["kpis"]:
        mart = expected[row["kpi"]]
        for column, decimals in (("value", None), ("rate", 2), ("change_pct", 1), ("change_abs", None)):
            number, places = shown(row[column])
            if mart[column] is None:
                assert number is None, (row["kpi"], column, row[column])
                continue
            assert decimals is None or places == decimals, (row["kpi"], column, row[column])
            assert number == pytest.approx(round(mart[column], places), abs=1e-9), (row["kpi"], column, row[column],
                                                                                    mart[column])


def test_the_ward_table_lists_the_districts_wards_with_their_recorded_crime(demo, rendered, year):
    seen, _, _ = rendered
    wards = published_rows(demo[0], """
        select ward.ward_code, sum(fact.incident_count) as crimes, any_value(vli.is_priority) as is_priority
        from marts.dim_ward as ward
        join marts.fct_ward_month as fact
          on fact.ward_code = ward.ward_code and fact.partner = 'police' and fact.feed = 'recorded_crime'
         and fact.financial_year = ?
        left join marts.vli_ward as vli on vli.ward_code = ward.ward_code
        where ward.district_code = ?
        group by ward.ward_code""", [year, DISTRICT_CODE])
    assert len(wards) == len({w["ward"] for w in seen["wards"]}) == len(seen["wards"]) > 0
    assert {w["ward"]: shown(w["count"])[0] for w in seen["wards"]} == {w["ward_code"]: w["crimes"] for w in wards}
    assert {w["ward"] for w in seen["wards"] if w["priority"] == "priority"} == {
        w["ward_code"] for w in wards if w["is_priority"]}


def ward_kpis(home: Path, year: str) -> dict[str, list[dict]]:
    """Every ward's figure of each KPI with ward figures for the year, every ward of the hub's area."""
    rows = published_rows(home, """
        select result.kpi_id, result.area_code, result.rate, ward.district_code
        from marts.kpi_results as result join marts.dim_ward as ward on ward.ward_code = result.area_code
        where result.level = 'ward' and result.period_type = 'financial_year' and result.period_label = ?""", [year])
    by_kpi: dict[str, list[dict]] = {}
    for row in rows:
        by_kpi.setdefault(row["kpi_id"], []).append(row)
    return by_kpi


def interpolated_quantile(ordered: list[float], q: float) -> float:
    """The q-quantile interpolated between the two nearest of the sorted figures (as DuckDB's quantile_cont)."""
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def title_figure(title: str) -> str:
    """'Ward (E05...): 12.34 per 1,000 residents; class 5, over 2.46' -> '12.34'; a ward with none -> 'no data'."""
    return title.partition("): ")[2].split(" ")[0].rstrip(";") if "): no data" not in title else "no data"


def test_each_kpi_with_ward_figures_and_the_vli_has_a_map(demo, rendered, year):
    seen, _, _ = rendered
    district_kpis = kpi_results(demo[0], DISTRICT_CODE, "financial_year", year)
    with_wards = set(ward_kpis(demo[0], year)) & set(district_kpis)
    assert with_wards >= {"crime_rate", "mps_1_violence"}, with_wards
    assert sorted(m["map"] for m in seen["maps"]) == sorted([*with_wards, "vli"])
    assert all(m["role"] == "group" and len(m["legend"]) >= 3 for m in seen["maps"])
    # a KPI without ward figures is named, not silently left out
    for kpi in set(district_kpis) - with_wards:
        assert district_kpis[kpi]["kpi_name"] in seen["maps_caption"], kpi


def test_every_ward_of_the_district_is_drawn_once_on_every_map(demo, rendered):
    seen, _, _ = rendered
    wards = sorted(r["ward_code"] for r in published_rows(demo[0], "select ward_code from marts.dim_ward "
                                                                   "where district_code = ?", [DISTRICT_CODE]))
    for m in seen["maps"]:
        assert sorted(w["ward"] for w in m["wards"]) == wards, m["map"]
        assert all(w["drawn"] > 4 for w in m["wards"]), m["map"]  # each outline really drawn, not an empty <use>


def test_each_wards_title_gives_the_marts_figure_and_its_area_wide_fifth(demo, rendered, year):
    seen, _, _ = rendered
    maps = {m["map"]: m for m in seen["maps"]}
    for kpi, rows in ward_kpis(demo[0], year).items():
        if kpi not in maps:
            continue
        rates = sorted(r["rate"] for r in rows if r["rate"] is not None)
        breaks = sorted({interpolated_quantile(rates, q) for q in (0.2, 0.4, 0.6, 0.8)})
        shown_wards = {w["ward"]: w for w in maps[kpi]["wards"]}
        for row in rows:
            if row["district_code"] != DISTRICT_CODE:
                continue
            ward = shown_wards[row["area_code"]]
            if row["rate"] is None:
                assert (title_figure(ward["title"]), ward["key"]) == ("no data", NO_FIGURE), ward
                continue
            fifth = str(1 + sum(row["rate"] > b for b in breaks))
            assert title_figure(ward["title"]) == f"{row['rate']:,.2f}", (kpi, ward, row)
            assert ward["key"] == fifth and f"; class {fifth}, " in ward["title"], (kpi, ward, row, breaks)
        assert [int(item.split(" ")[0]) for item in maps[kpi]["legend"][:-1]] == list(range(1, len(breaks) + 2))
        assert maps[kpi]["legend"][-1].startswith(f"{NO_FIGURE} no data")


def test_the_vli_map_marks_the_priority_wards_in_text(demo, rendered):
    seen, _, _ = rendered
    (vli_map,) = [m for m in seen["maps"] if m["map"] == "vli"]
    vli = {r["ward_code"]: r for r in published_rows(demo[0], """
        select vli.ward_code, vli.vli, vli.is_priority from marts.vli_ward as vli
        join marts.dim_ward as ward using (ward_code) where ward.district_code = ?""", [DISTRICT_CODE])}
    for ward in vli_map["wards"]:
        row = vli[ward["ward"]]
        assert title_figure(ward["title"]) == f"{row['vli']:,.1f}", ward
        assert (ward["key"] == "P") == row["is_priority"] == ("priority ward" in ward["title"]), ward


def published_copy(demo, folder: Path, *changes: tuple[str, list]) -> HubPaths:
    """A hub whose published database is a copy of the demo's with the SQL `changes` made to it."""
    paths = HubPaths(folder).ensure()
    paths.published_db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo[0] / "published" / "hub.duckdb", paths.published_db)
    con = duckdb.connect(str(paths.published_db))
    try:
        for sql, params in changes:
            con.execute(sql, params)
    finally:
        con.close()
    return paths


def test_priority_wards_are_keyed_p_on_the_vli_map(demo, tmp_path):
    # The demo's made-up deliveries give no ward a VLI over 200, so two are made priority wards here.
    (first, second) = [r["ward_code"] for r in published_rows(demo[0], "select ward_code from marts.dim_ward "
                                                                        "where district_code = ? order by 1 limit 2",
                                                              [DISTRICT_CODE])]
    paths = published_copy(demo, tmp_path, ("update marts.vli_ward set vli = 250.5, is_priority = true "
                                            "where ward_code in (?, ?)", [first, second]))
    html = write_pack(paths, DISTRICT_CODE).read_text(encoding="utf-8")
    vli_map = html.partition('<figure class="map" data-map="vli">')[2].partition("</figure>")[0]
    keyed = dict(re.findall(r'data-ward="([^"]+)"[^>]*><title>[^<]*</title><use [^>]*/><text [^>]*>([^<]+)</text>',
                            vli_map))
    assert {ward for ward, key in keyed.items() if key == "P"} == {first, second} and len(keyed) > 2
    assert re.search(rf'data-ward="{first}"[^>]*><title>[^<]*: 250.5 VLI; class P, priority ward: VLI over 200<',
                     vli_map)
    assert '<li data-class="P">' in vli_map and "priority ward: VLI over 200 <span class=\"ward-count\">(2 wards)" \
        in vli_map


def test_with_no_kpi_figures_by_ward_the_league_tables_rate_is_mapped_in_the_districts_fifths(demo, tmp_path):
    paths = published_copy(demo, tmp_path, ("delete from marts.kpi_results where level = 'ward'", []))
    html = write_pack(paths, DISTRICT_CODE).read_text(encoding="utf-8")
    assert re.findall(r'<figure class="map" data-map="([^"]+)"', html) == ["ward_league_table", "vli"]
    table = html.partition('<table class="wards">')[2].partition("</table>")[0]
    rated_row = r'<tr data-ward="([^"]+)"[^>]*>(?:(?!</tr>).)*?<td class="rate num" data-value="([^"]+)"'
    rates = {ward: float(rate) for ward, rate in re.findall(rated_row, table)}
    assert len(rates) == len(re.findall(r"<tr data-ward=", table)) > 5
    breaks = sorted({interpolated_quantile(sorted(rates.values()), q) for q in (0.2, 0.4, 0.6, 0.8)})
    league_map = html.partition('data-map="ward_league_table">')[2].partition("</figure>")[0]
    drawn = re.findall(r'data-ward="([^"]+)"[^>]*><title>([^<]*)</title><use [^>]*/><text [^>]*>([^<]+)</text>',
                       league_map)
    assert sorted(ward for ward, _, _ in drawn) == sorted(rates)
    for ward, title, key in drawn:
        assert title_figure(title) == f"{rates[ward]:,.2f}" and key == str(1 + sum(rates[ward] > b for b in breaks))
    assert "fifths of the district&#x27;s" in league_map


def test_without_published_ward_boundaries_the_pack_says_there_are_no_maps(demo, tmp_path):
    paths = published_copy(demo, tmp_path, ("drop table marts.dim_ward_boundary", []))
    html = write_pack(paths, DISTRICT_CODE).read_text(encoding="utf-8")
    assert "No ward boundaries are published for Manchester, so there are no ward maps." in html
    assert 'class="choropleth"' not in html and 'id="wards"' in html


def test_a_month_pack_is_for_the_latest_month(demo):
    home, _ = demo
    result = hub_cli(home, "pack", "E08000009", "--period", "month")
    assert result.returncode == 0, result.stdout + result.stderr
    month = latest_label(home, "E08000009", "month")
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path == home / "published" / "packs" / f"E08000009-{month}.html"
    html = path.read_text(encoding="utf-8")
    assert set(re.findall(r'<tr data-kpi="([^"]+)"', html)) == set(kpi_results(home, "E08000009", "month", month))
    assert "Trafford" in html
    by_ward = {r["kpi_id"] for r in published_rows(home, """
        select distinct kpi_id from marts.kpi_results
        where level = 'ward' and period_type = 'month' and period_label = ? and rate is not null""", [month])}
    assert by_ward and set(re.findall(r'<figure class="map" data-map="([^"]+)"', html)) == {*by_ward, "vli"}


@pytest.mark.parametrize("args, names", [
    (("Atlantis",), ("Trafford", "Wigan", "Bolton")),
    (("trafford", "--period", "1999/00"), ("2016/17", "2017-03")),
])
def test_an_unknown_district_or_period_is_a_usage_error_listing_the_valid_ones(demo, args, names):
    result = hub_cli(demo[0], "pack", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert all(name in result.stdout for name in names), result.stdout


# Partner and reference text a pack shows, each made hostile: a script, and an attribute breaking out into a handler.
HOSTILE_TEXT = {
    "dim_district": "district_name", "dim_ward": "ward_name", "tactical_exceptions": "category_group",
    "dq_partner_scorecard": "feed",
}
PAYLOADS = ("<script>window.hubXss=1</script>", "\"'><img src=nowhere onerror=window.hubXss=2>")


@pytest.fixture(scope="module")
def hostile_pack(demo, tmp_path_factory) -> Path:
    """The Manchester pack written from a copy of the published database whose text columns carry the payloads."""
    paths = published_copy(demo, tmp_path_factory.mktemp("hostile-pack"),
                           *[(f"update marts.{table} set {column} = ? || {column} || ?", list(PAYLOADS))
                             for table, column in HOSTILE_TEXT.items()])
    return write_pack(paths, DISTRICT_CODE)



def test_hostile_text_in_the_marts_shows_as_text_and_runs_nothing(hostile_pack):
    html = hostile_pack.read_text(encoding="utf-8")
    assert all(payload not in html for payload in PAYLOADS)
    # ward names reach the maps' titles too, escaped like everywhere else
    assert all(re.search(r"<title>[^<]*" + re.escape(escape(payload)), html) for payload in PAYLOADS)
    marker, text, _ = open_for_payloads(hostile_pack)
    assert marker is None
    assert all(text.count(payload) >= 2 for payload in PAYLOADS)  # district, wards, exceptions, quality


def test_the_same_text_put_in_raw_would_run_and_the_pack_policy_alone_stops_it(hostile_pack):
    raw = hostile_pack.read_text(encoding="utf-8")
    for payload in PAYLOADS:
        raw = raw.replace(escape(payload), payload)
    without_policy = hostile_pack.with_name("raw-without-policy.html")
    without_policy.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", raw), encoding="utf-8")
    with_policy = hostile_pack.with_name("raw-with-policy.html")
    with_policy.write_text(raw, encoding="utf-8")
    assert open_for_payloads(without_policy)[0] in (1, 2)
    marker, _, console = open_for_payloads(with_policy)
    assert marker is None and [line for line in console if "Content Security Policy" in line]
