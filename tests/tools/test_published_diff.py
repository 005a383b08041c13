"""The before/after comparison of published figures finds one changed value, a lost row and a changed column, and
lets a double's last bits go."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tools.published_diff import differences

ROWS = [("E05000650", "2017-01-01", 12, 4.123456789012345), ("E05000651", "2017-01-01", 0, None)]


def published(path: Path, rows=ROWS, extra_column: bool = False) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.fct_ward_month (ward_code varchar, month_start date, incident_count integer, "
                f"rate double{', note varchar' if extra_column else ''})")
    con.executemany(f"insert into marts.fct_ward_month values (?, ?, ?, ?{', null' if extra_column else ''})", rows)
    con.execute("create table marts.dq_partner_scorecard (feed varchar, latest_quality_run varchar)")
    con.execute(f"insert into marts.dq_partner_scorecard values ('street', '{path.stem}')")
    con.close()
    return path


def test_the_same_figures_are_equal_though_a_double_differs_in_its_last_bits_and_the_run_ids_differ(tmp_path):
    nudged = [ROWS[0][:3] + (ROWS[0][3] + 2e-15,), ROWS[1]]
    assert differences(published(tmp_path / "a.duckdb"), published(tmp_path / "b.duckdb", nudged)) == {}


def test_a_changed_figure_a_lost_row_and_a_new_column_are_each_reported(tmp_path):
    before = published(tmp_path / "before.duckdb")
    changed = published(tmp_path / "changed.duckdb", [ROWS[0][:2] + (13,) + ROWS[0][3:], ROWS[1]])
    lost = published(tmp_path / "lost.duckdb", ROWS[:1])
    widened = published(tmp_path / "widened.duckdb", extra_column=True)
    assert differences(before, changed) == {"marts.fct_ward_month": "1 rows only before, 1 only after"}
    assert differences(before, lost) == {"marts.fct_ward_month": "1 rows only before, 0 only after"}
    assert list(differences(before, widened)) == ["marts.fct_ward_month"]
