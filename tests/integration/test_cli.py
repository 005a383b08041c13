"""The `hub` command: every subcommand explains itself, and the demo runs end to end from nothing."""

from __future__ import annotations

import duckdb
import pytest

from tests.helpers import hub_cli
from warehouse.cli import main

COMMANDS = ("ingest", "build", "check", "publish", "run", "status", "demo")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: hub {command}" in capsys.readouterr().out


def test_an_unknown_partner_folder_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path))
    assert main(["ingest", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().out


def test_the_demo_runs_from_nothing_and_publishes_every_ward(tmp_path):
    result = hub_cli(tmp_path, "demo", "--scale", "0.02")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Where to look" in result.stdout

    con = duckdb.connect(str(tmp_path / "published" / "hub.duckdb"), read_only=True)
    try:
        (wards,) = con.execute("select count(*) from marts.dim_ward").fetchone()
        (months, first, last) = con.execute(
            "select count(*), min(month_start), max(month_start) from marts.dim_month").fetchone()
        (districts_with_data,) = con.execute(
            "select count(distinct district_code) from marts.fct_district_month where incident_count > 0").fetchone()
        (files,) = con.execute("select count(*) from audit.loads where status = 'loaded'").fetchone()
    finally:
        con.close()
    assert wards == 215
    assert (months, str(first), str(last)) == (36, "2015-04-01", "2018-03-01")
    assert districts_with_data == 10
    assert files == 36  # 35 generated months and the real GMP extract for December 2016

    again = hub_cli(tmp_path, "status")
    assert again.returncode == 0 and "fct_ward_month" in again.stdout
