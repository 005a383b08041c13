"""The real police.uk extracts, end to end: every row is counted once, in the place it belongs."""

from __future__ import annotations

import json
from collections import Counter

import duckdb
import pytest
import sqlalchemy

from tests.helpers import csv_rows, make_hub
from tests.integration.reference import CategoryMap, WardLookup


@pytest.fixture(scope="module")
def hub(tmp_path_factory, real_police_files, hub_template):
    hub = make_hub(tmp_path_factory.mktemp("real"), hub_template)
    for path in real_police_files:
        hub.ingest("police", path)
    hub.build()
    report = hub.check()
    assert report.passed, [r for r in report.critical_failures]
    hub.publish()
    return hub


@pytest.fixture
def published(hub):
    """Opened per test: DuckDB refuses one process a second, differently configured connection to the same file."""
    con = duckdb.connect(str(hub.paths.published_db), read_only=True)
    yield con
    con.close()


def test_every_real_row_is_counted_once_by_lsoa_month_and_crime_type(published, real_police_files):
    for path in real_police_files:
        expected = Counter((r["LSOA code"] or None, r["Month"], r["Crime type"]) for r in csv_rows(path))
        got = {
            (lsoa, month, crime_type): count
            for lsoa, month, crime_type, count in published.execute("""
                select i.lsoa_code, strftime(i.month_start, '%Y-%m'), i.source_category, count(*)
                from marts.fct_incidents as i
                join audit.loads as l using (load_id)
                where l.file_name = ?
                group by all
            """, [path.name]).fetchall()
        }
        assert got == dict(expected), path.name


def test_rows_outside_gm_and_rows_without_location_are_kept_and_flagged(published, real_police_files):
    gm_lsoas = WardLookup.load().lsoa11_codes
    rows = [r for path in real_police_files for r in csv_rows(path)]
    no_location = sum(1 for r in rows if not r["LSOA code"])
    outside = sum(1 for r in rows if r["LSOA code"] and r["LSOA code"] not in gm_lsoas)
    assert no_location > 0 and outside > 0  # Avon & Somerset has "No Location" rows; three files are other forces

    by_place = dict(published.execute("""
        select case when geo_method = 'unresolved' then 'unresolved'
                    when is_in_gm then 'gm' else 'outside_gm' end, count(*)
        from marts.fct_incidents group by 1
    """).fetchall())
    assert by_place == {"unresolved": no_location, "outside_gm": outside, "gm": len(rows) - no_location - outside}
    (null_wards,) = published.execute(
        "select count(*) from marts.fct_incidents where not coalesce(is_in_gm, false) and ward_code is null"
    ).fetchone()
    assert null_wards == no_location + outside


def test_gmp_ward_month_counts_match_an_independent_lookup(published, real_dir):
    lookup, categories = WardLookup.load(), CategoryMap.load()
    gmp = csv_rows(real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv")
    expected = Counter(
        (lookup.ward_of(r["LSOA code"]), categories.group_of(r["Crime type"], r["Month"]))
        for r in gmp
        if r["LSOA code"] in lookup.lsoa11_codes
    )
    got = dict(
        ((ward, group), count)
        for ward, group, count in published.execute("""
            select ward_code, category_group, incident_count from marts.fct_ward_month
            where month_start = date '2016-12-01' and incident_count > 0
        """).fetchall()
    )
    assert got == dict(expected)


def test_every_gm_ward_appears_in_every_month_and_group_of_its_feed_counted_only_where_gmp_delivered(
        published, real_police_files):
    (wards,) = published.execute("select count(*) from marts.dim_ward").fetchone()
    (districts,) = published.execute("select count(*) from marts.dim_district").fetchone()
    # police.uk: the four real files are four months from November 2016 to June 2022; every crime type maps to one of
    # five groups. The grid runs over every month between (the coverage rule, README "Coverage"), but only a GMP file
    # covers Greater Manchester: December 2016 is counted (zero-filled), the other forces' months are 'not in
    # delivery' and the months between 'not delivered', all without a count. With no earlier months there is no
    # recent level to judge December's districts by, so the volume rule cannot flag it.
    rows = [r for path in real_police_files for r in csv_rows(path)]
    months, groups = {r["Month"] for r in rows}, {CategoryMap.load().group_of(r["Crime type"], r["Month"]) for r in rows}
    first, last = min(months), max(months)
    spanned = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    gmp_months = {r["Month"] for r in rows if r["Falls within"] == "Greater Manchester Police"}
    (cells, counted, zeros) = published.execute(
        "select count(*), count(incident_count), count(*) filter (where incident_count = 0) "
        "from marts.fct_ward_month where feed = 'street_crime'"
    ).fetchone()
    coverage = dict(published.execute(
        "select coverage, count(distinct month_start) from marts.fct_ward_month where feed = 'street_crime' group by 1"
    ).fetchall())
    assert (wards, districts) == (215, 10)
    assert (len(months), len(groups), spanned, gmp_months) == (4, 5, 68, {"2016-12"})
    assert cells == wards * spanned * len(groups)
    assert counted == wards * len(gmp_months) * len(groups)
    assert coverage == {"covered": 1, "not in delivery": 3, "not delivered": spanned - 4}
    assert zeros > 0


def test_district_facts_sum_to_the_gm_incidents_of_the_months_covered(published):
    # December 2016, the GMP file's month, is the only month a delivery covers Greater Manchester (test above)
    (in_gm,) = published.execute(
        "select count(*) from marts.fct_incidents where is_in_gm and month_start = date '2016-12-01'").fetchone()
    (wards_total,) = published.execute("select sum(incident_count) from marts.fct_ward_month").fetchone()
    (districts_total,) = published.execute("select sum(incident_count) from marts.fct_district_month").fetchone()
    assert in_gm == wards_total == districts_total > 0


def test_every_mart_is_published_as_parquet_with_the_same_rows(hub, published):
    marts = [name for (name,) in published.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
    assert {"dim_ward", "dim_district", "dim_month", "fct_incidents", "fct_ward_month", "fct_district_month"} <= set(marts)
    for mart in marts:
        parquet = hub.paths.parquet_dir / f"{mart}.parquet"
        (from_parquet,) = duckdb.sql(f"select count(*) from read_parquet('{parquet}')").fetchone()
        (from_db,) = published.execute(f"select count(*) from marts.{mart}").fetchone()
        assert from_parquet == from_db, mart


def test_a_mart_reflects_through_a_read_only_sqlalchemy_engine(hub):
    from warehouse.access import published_engine

    engine = published_engine(hub.paths)
    try:
        table = sqlalchemy.Table("fct_ward_month", sqlalchemy.MetaData(schema="marts"), autoload_with=engine)
        assert {"ward_code", "month_start", "category_group", "incident_count"} <= set(table.columns.keys())
        with engine.connect() as connection:
            total = connection.execute(sqlalchemy.select(sqlalchemy.func.sum(table.c.incident_count))).scalar()
            assert total > 0
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
                connection.execute(sqlalchemy.text("create table marts.scribble (x int)"))
    finally:
        engine.dispose()


def test_audit_records_every_load_with_its_checksum_and_counts(published, real_police_files):
    loads = published.execute(
        "select file_name, rows_read, rows_loaded, rows_rejected, length(sha256), status from audit.loads "
        "where partner = 'police' order by load_id"
    ).fetchall()
    assert [(name, read, loaded, rejected, digits, status) for name, read, loaded, rejected, digits, status in loads] == [
        (p.name, len(csv_rows(p)), len(csv_rows(p)), 0, 64, "loaded") for p in real_police_files
    ]


def test_the_catalogue_is_published_beside_the_data_with_lineage_to_the_partner_feed(hub):
    manifest = json.loads((hub.paths.dbt_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    ancestors, frontier = set(), ["model.partnership_hub.fct_ward_month"]
    while frontier:
        parents = manifest["parent_map"][frontier.pop()]
        frontier += [p for p in parents if p not in ancestors]
        ancestors.update(parents)
    assert {"source.partnership_hub.police.street_crime", "model.partnership_hub.stg_police__street_crimes",
            "model.partnership_hub.int_incidents_placed", "model.partnership_hub.stg_reference__ward_districts"} <= ancestors

    catalogue = hub.paths.published_catalogue.read_text(encoding="utf-8")
    assert '"nodes": ["source.partnership_hub.police.street_crime"' in catalogue  # the staging model's edge, embedded
    assert "One row per Greater Manchester ward (215), month" in catalogue  # descriptions travel with it

