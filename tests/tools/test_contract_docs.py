"""docs/contracts.md and its sample files stay true: the reference is what the contracts say, and every sample
is recognised, loads without a reject, and leaves none of its references, postcodes or withheld text in the hub."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from loaders.engine import load_file
from loaders.pseudonyms import PseudonymKey
from loaders.reference import POSTCODE_DIRECTORY
from loaders.registry import detect_contract
from tests.helpers import csv_rows
from tools.contract_docs import DOCS, SAMPLES, render_document
from warehouse.paths import PROJECT_DIR

KEY = PseudonymKey(bytes(range(32)))
# The hub's own contracts: no public layout exists, so partners copy these samples.
HUB_DEFINED = {("police", "recorded_crime"), ("ambulance", "callouts"), ("probation", "caseload"),
               ("transport", "tfgm_incidents")}
SAMPLE_FILES = sorted(SAMPLES.glob("*.csv"))
GM_LSOA_LOOKUPS = {
    PROJECT_DIR.parent / "shared" / "data" / "real" / "geography" / "gm_lsoa21_to_ward22_to_lad22_bestfit.csv": "lsoa21cd",
    PROJECT_DIR.parent / "shared" / "data" / "real" / "geography" / "gm_oa11_lsoa11_msoa11_lad11_lookup.csv": "lsoa11cd",
}


def test_the_committed_reference_is_what_the_contracts_say():
    text = DOCS.read_text(encoding="utf-8")
    assert text == render_document(text), "docs/contracts.md is out of date: run `python -m tools.contract_docs`"


def test_there_is_one_sample_per_hub_defined_contract_and_the_docs_link_each():
    found = {tuple(path.stem.split("__")) for path in SAMPLE_FILES}
    assert found == HUB_DEFINED
    text = DOCS.read_text(encoding="utf-8")
    for path in SAMPLE_FILES:
        assert f"(samples/{path.name})" in text, f"docs/contracts.md does not link {path.name}"


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_a_sample_is_plausible_gm_data(sample):
    rows = csv_rows(sample)
    assert 5 <= len(rows) <= 8
    gm_lsoas = set()
    for lookup, column in GM_LSOA_LOOKUPS.items():
        gm_lsoas |= {r[column] for r in csv_rows(lookup)}
    lsoas = {r["LSOA Code"] for r in rows if r.get("LSOA Code")}
    assert lsoas <= gm_lsoas, f"not Greater Manchester LSOAs: {sorted(lsoas - gm_lsoas)}"


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_a_sample_is_recognised_loads_whole_and_leaves_no_personal_data(sample, tmp_path, real_dir):
    partner, feed = sample.stem.split("__")
    contract = detect_contract(partner, sample)
    assert contract.feed == feed

    database = tmp_path / "hub.duckdb"
    directory = real_dir / "geography" / "trafford_postcodes_to_lsoa_ward.csv"
    con = duckdb.connect(str(database))
    try:
        assert load_file(con, detect_contract("reference", directory), directory).rows_rejected == 0
        result = load_file(con, contract, sample, KEY)
        rows = csv_rows(sample)
        assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == (
            "loaded", len(rows), len(rows), 0)
        assert con.execute("select count(*) from audit.rejects").fetchone() == (0,)

        postcodes = [c for c in contract.columns if c.personal == "postcode"]
        lsoa_of = {r["postcode"]: r["lsoa_code"] for r in csv_rows(directory)}
        for column in postcodes:
            placed = dict(con.execute(
                f"select source_row, {column.name}_lsoa_code from raw.{contract.table}").fetchall())
            for number, row in enumerate(rows, start=1):
                if row[column.source]:
                    assert placed[number] == lsoa_of[row[column.source]], f"row {number}: {row[column.source]}"
        if feed in ("callouts", "caseload"):
            assert postcodes and any(row[postcodes[0].source] for row in rows)
    finally:
        con.close()

    # The database file as any later reader sees it: every varchar column of every table.
    personal = {(c.personal, row[c.source].strip()) for c in contract.columns if c.personal for row in rows
                if row[c.source].strip()}
    assert {kind for kind, _ in personal} == {c.personal for c in contract.columns if c.personal}
    control = next(rows[0][c.source] for c in contract.columns  # a value the contract keeps as text
                   if c.type in ("varchar", "id") and not c.personal and rows[0][c.source])
    con = duckdb.connect(str(database), read_only=True)
    try:
        assert _tables_holding(con, control), "the scan finds nothing, even a value that is stored"
        for kind, value in sorted(personal):
            variants = {value, value.replace(" ", "")} if kind == "postcode" else {value}
            for variant in variants:
                found = _tables_holding(con, variant)
                if kind == "postcode":  # the directory lists every postcode: reference data, not a person's
                    found.discard(f"raw.{POSTCODE_DIRECTORY.table}")
                assert not found, f"{kind} value {variant!r} from {sample.name} is stored in {sorted(found)}"
    finally:
        con.close()


def _tables_holding(con, value: str) -> set[str]:
    """Every table (schema.table) with a varchar column containing value, ignoring case."""
    columns: dict[str, list[str]] = {}
    for schema, table, column in con.execute("""
        select table_schema, table_name, column_name from information_schema.columns
        where table_catalog = current_database() and data_type = 'VARCHAR'
        order by all
    """).fetchall():
        columns.setdefault(f'"{schema}"."{table}"', []).append(f'"{column}"')
    found = set()
    for table, names in columns.items():
        condition = " or ".join(f"contains(upper({name}), upper($value))" for name in names)
        (count,) = con.execute(f"select count(*) from {table} where {condition}", {"value": value}).fetchone()
        if count:
            found.add(table.replace('"', ""))
    return found
