"""fct_incidents is int_incidents_placed with LSOA columns joined on: its key is unique and never null because the
table's is (tested there) and the view has one row for each of the table's rows, which `same_row_count_as`
(macros/test_same_row_count_as.sql) tests with two counts. A lookup that repeats an LSOA must then stop the build."""

from __future__ import annotations

import duckdb
import pytest

from tests.helpers import copy_hub, make_hub
from warehouse.transform import TransformError, run_dbt


def test_a_join_that_repeats_incidents_in_fct_incidents_stops_the_build(published_gmp_hub, tmp_path):
    hub = make_hub(copy_hub(published_gmp_hub, tmp_path / "hub"))
    con = duckdb.connect(str(hub.paths.working_db))
    try:
        (placed, lsoa) = con.execute("select count(*), min(lsoa_code) from intermediate.int_incidents_placed").fetchone()
        (repeated,) = con.execute("select count(*) from intermediate.int_incidents_placed where lsoa_code = ?",
                                  [lsoa]).fetchone()
        assert con.execute("select count(*) from marts.fct_incidents").fetchone() == (placed,)
        # the lookup now holds one LSOA twice, as a careless change to it could
        con.execute("alter view intermediate.int_lsoa_ward_lookup rename to int_lsoa_ward_lookup_as_built")
        con.execute("create view intermediate.int_lsoa_ward_lookup as "
                    "select * from intermediate.int_lsoa_ward_lookup_as_built union all "
                    "select * from intermediate.int_lsoa_ward_lookup_as_built "
                    "where lsoa_code = (select min(lsoa_code) from intermediate.int_incidents_placed)")
    finally:
        con.close()
    assert repeated > 0

    with pytest.raises(TransformError) as stopped:
        run_dbt(hub.paths, "test", "--select", "test_name:same_row_count_as")

    assert "Failure in test same_row_count_as_fct_incidents" in str(stopped.value), str(stopped.value)
    con = duckdb.connect(str(hub.paths.working_db), read_only=True)
    try:
        (path,) = (hub.paths.dbt_dir / "target" / "compiled").rglob("same_row_count_as_fct_incidents*.sql")
        assert con.execute(path.read_text(encoding="utf-8")).fetchall() == [(placed + repeated, placed)]
    finally:
        con.close()
