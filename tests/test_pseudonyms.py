"""Pseudonyms computed in DuckDB are exactly Python's HMAC-SHA256, and the key never shows in SQL."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest

from loaders.pseudonyms import MissingKeyError, PseudonymKey, create_key_file, load_key, pseudonym_sql

KEY = PseudonymKey(bytes(range(32)))


def pseudonymise(values: list[str | None]) -> list[str | None]:
    con = duckdb.connect()
    con.execute("create table ids (v varchar)")
    con.executemany("insert into ids values (?)", [[v] for v in values])
    rows = con.execute(f"select {pseudonym_sql('v')} from ids", KEY.parameters()).fetchall()
    return [r[0] for r in rows]


def test_duckdb_pseudonyms_equal_python_hmac_sha256():
    values = ["AB123456", "victim-0001", "ÅNGSTRÖM 7", "x" * 300]
    expected = [hmac.new(KEY.secret, v.upper().encode(), hashlib.sha256).hexdigest() for v in values]
    assert pseudonymise(values) == expected


def test_the_same_person_from_two_partners_gets_one_pseudonym_and_blanks_stay_null():
    police, ambulance, blank, missing = pseudonymise([" ab123 ", "AB123", "  ", None])
    assert police == ambulance
    assert blank is None and missing is None


def test_the_key_is_never_in_the_sql_text():
    sql = pseudonym_sql("victim_ref")
    assert KEY.secret.hex() not in sql and "$hmac_ipad" in sql and "$hmac_opad" in sql
    assert KEY.secret.hex() not in repr(KEY)


def test_a_run_without_a_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("HUB_PSEUDONYM_KEY_FILE", raising=False)
    with pytest.raises(MissingKeyError, match="HUB_PSEUDONYM_KEY"):
        load_key(tmp_path / "absent.key")


def test_a_demo_key_file_round_trips_and_is_private(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_PSEUDONYM_KEY", raising=False)  # the environment's key would win over the file
    path = tmp_path / "keys" / "pseudonym.key"
    key = create_key_file(path)
    assert load_key(path) == key
    assert path.stat().st_mode & 0o077 == 0
