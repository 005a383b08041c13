"""A yearly feed loaded on its own: the TfGM casualty table (2010-2021) and nothing else.

Its KPI's periods come from its own years, not from the incidents' months (there are none), and the scorecard
shows the latest year it covers rather than the year its delivery is filed under. A corrected table delivered after
the build (and not built yet) touches every month of the years it holds, which the next build recomputes.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.helpers import make_hub

CASUALTY_TABLE = "tfgm_STATS19CasDataJan2010Dec2021forGMServers.csv"


@pytest.fixture(scope="module")
def working_db(tmp_path_factory, real_dir, hub_template):
    folder = tmp_path_factory.mktemp("casualties_alone")
    hub = make_hub(folder / "hub", hub_template)
    hub.ingest("transport", real_dir / "stats19" / CASUALTY_TABLE)
    hub.build()
    # the correction: the same table less its last row, delivered after the build
    rows = (real_dir / "stats19" / CASUALTY_TABLE).read_bytes().splitlines(keepends=True)
    (folder / "corrected").mkdir()
    corrected = folder / "corrected" / CASUALTY_TABLE
    corrected.write_bytes(b"".join(rows[:-1]))
    assert hub.ingest("transport", corrected)[0].superseded
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    yield con
    con.close()


def test_a_corrected_table_delivered_after_the_build_touches_every_month_of_its_years(working_db):
    changed = working_db.execute("select partner, feed, strftime(month_start, '%Y-%m') "
                                 "from intermediate.int_changed_months order by all").fetchall()
    assert changed == [("transport", "stats19_casualties", f"{year}-{month:02d}")
                       for year in range(2010, 2022) for month in range(1, 13)]


def test_ni_47_has_every_three_year_window_the_table_covers(working_db):
    rows = working_db.execute("""
        select period_label, is_complete, months_with_data
        from marts.kpi_results
        where kpi_id = 'ni_47_road_ksi' and level = 'gm' and period_type = 'rolling_3_calendar_years'
        order by period_start
    """).fetchall()
    assert [label for label, _, _ in rows] == [f"3 years to {year}" for year in range(2010, 2022)]
    # the first two windows reach back before 2010: shown, projected, and marked incomplete
    assert [(complete, months) for _, complete, months in rows[:3]] == [(False, 12), (False, 24), (True, 36)]
    assert all(complete for _, complete, _ in rows[2:])


def test_nothing_is_judged_on_the_projected_windows(working_db):
    judged = working_db.execute("""
        select period_label, direction_of_travel is not null, z_score is not null, comparison_is_projected
        from marts.kpi_results
        where kpi_id = 'ni_47_road_ksi' and period_label in ('3 years to 2011', '3 years to 2012', '3 years to 2013')
        order by period_label
    """).fetchall()
    # 2011 and its year before are projected; 2012 is whole but its year before is not; 2013 and 2012 are whole
    assert judged == [("3 years to 2011", False, False, True), ("3 years to 2012", False, False, True),
                      ("3 years to 2013", True, True, False)]


def test_the_scorecard_shows_the_latest_year_the_table_covers(working_db):
    rows = working_db.execute("""
        select period_grain, latest_period, is_latest_month
        from marts.dq_partner_scorecard
        where partner = 'transport' and feed = 'stats19_casualties'
    """).fetchall()
    assert rows == [("year", "2021", True)]
