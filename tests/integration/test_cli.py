"""The `hub` command: every subcommand explains itself, and the demo runs end to end from nothing."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import duckdb
import pytest

from loaders.reference import PUBLIC_REFERENCE_CONTRACTS
from tests.helpers import copy_hub, hub_cli
from tests.loaders.deliveries import street_file
from warehouse.cli import main
from warehouse.paths import PROJECT_DIR
from warehouse.report_assets import make_offline

REFERENCE_FEEDS = ", ".join(f"'{c.feed}'" for c in PUBLIC_REFERENCE_CONTRACTS)
COMMANDS = ("ingest", "build", "check", "publish", "run", "status", "demo", "pack")


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


def test_an_error_the_hub_has_no_answer_for_exits_3_with_its_traceback(tmp_path, monkeypatch, capsys):
    """Not 1, Python's own code for an uncaught error, which `hub` gives to data it refused: a crash of `hub check`
    read as exit 1 is a gate that judged the data, and the benchmark took one for that."""
    def fail(paths):
        raise RuntimeError("the validation child went away")

    monkeypatch.setenv("HUB_HOME", str(tmp_path))
    monkeypatch.setattr("warehouse.pipeline.check", fail)
    assert main(["check"]) == 3
    printed = capsys.readouterr()
    assert "Traceback" in printed.err and "RuntimeError: the validation child went away" in printed.err
    assert "Failed:" in printed.out and "exit 3" in printed.out


def test_report_assets_not_installed_stop_a_check_with_what_to_run_not_a_traceback(tmp_path, monkeypatch, capsys):
    """The Data Docs are made readable offline from the installed report assets (warehouse/report_assets.py): a
    machine without them is set up short, which `make install` mends, so it is no crash of the hub (exit 3)."""
    missing = tmp_path / "node_modules"
    monkeypatch.setenv("HUB_HOME", str(tmp_path))
    monkeypatch.setattr("warehouse.report_assets.NODE_MODULES", missing)
    monkeypatch.setattr("warehouse.pipeline.check", lambda paths: make_offline(tmp_path / "site"))
    assert main(["check"]) == 2
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err + printed.out
    assert f"Stopped: the report assets are not installed in {missing}: run `make install`" in printed.out


def test_the_status_of_a_hub_that_has_only_loaded(tmp_path, real_police_files):
    """Loaded, never built nor checked: the warehouse's own audit records (audit.dq_results) are not there yet, and
    `hub status` still shows the loads and an empty quality run."""
    home = tmp_path / "hub"
    assert hub_cli(home, "ingest", "police", str(real_police_files[0])).returncode == 0
    status = hub_cli(home, "status")
    assert status.returncode == 0, status.stderr
    assert "Loads by feed" in status.stdout and "Latest quality run" in status.stdout


def test_the_demo_runs_from_nothing_and_publishes_every_ward(demo):
    home, printed = demo
    assert "Where to look" in printed

    con = duckdb.connect(str(home / "published" / "hub.duckdb"), read_only=True)
    try:
        (wards,) = con.execute("select count(*) from marts.dim_ward").fetchone()
        (months, first, last) = con.execute(
            "select count(*), min(month_start), max(month_start) from marts.dim_month").fetchone()
        districts_with_data = dict(con.execute(
            "select partner, count(distinct district_code) from marts.fct_district_month where incident_count > 0 "
            "group by partner").fetchall())
        # the demo's deliveries, apart from the public reference files the hub loads from the reference directory
        delivery = f"not (partner = 'reference' and feed in ({REFERENCE_FEEDS}))"
        loads = dict(con.execute(f"select status, count(*) from audit.loads where {delivery} group by status").fetchall())
        loaded_files = {Path(p).name for (p,) in con.execute(f"select file_path from audit.loads where {delivery}").fetchall()}
    finally:
        con.close()
    assert wards == 215
    # the DfT's collision files are whole calendar years, so 2015's reaches back to January
    assert (months, str(first), str(last)) == (39, "2015-01-01", "2018-03-01")
    assert districts_with_data == {p: 10 for p in ("police", "fire", "ambulance", "transport")}
    delivered = {f.name for f in (home / "incoming").rglob("*.csv")}
    assert loaded_files == delivered  # every delivered file was loaded
    assert loads == {"loaded": len(delivered) - 2, "superseded": 2}  # fire and ambulance each re-delivered a month

    again = hub_cli(home, "status")
    assert again.returncode == 0 and "fct_ward_month" in again.stdout


def test_the_demo_parses_the_dbt_project_once(demo):
    """The demo judges lateness at its own as-at date: its build and the catalogue publish generates are given the
    same vars, so the second dbt command keeps the first one's parse (a changed var makes dbt parse it all again)."""
    home, _ = demo
    log = (home / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert log.count("Running with dbt=") >= 2  # the build, then `docs generate` for publish
    assert log.count("Unable to do partial parsing") == 1, "a later dbt command parsed the whole project again"


def test_the_dbt_log_holds_each_models_result_not_every_statement(demo):
    log = (demo[0] / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "OK created sql incremental model marts.fct_ward_month" in log
    assert "SQL status" not in log


def test_the_demos_closing_line_goes_on_with_its_key(demo, tmp_path):
    """The line `hub demo` prints to paste, then `hub ingest` of person data, in a shell with no key of its own: it
    loads, where the same ingest without the line stops for want of the key. On a copy of the demo's home, as the
    demo is shared."""
    home, printed = demo
    (line,) = [text.strip() for text in printed.splitlines() if text.strip().startswith("export HUB_HOME=")]
    copy = copy_hub(home, tmp_path / "demo")
    sample = PROJECT_DIR / "docs" / "samples" / "probation__caseload.csv"
    hub_settings = ("HUB_HOME", "HUB_PSEUDONYM_KEY", "HUB_PSEUDONYM_KEY_FILE", "HUB_AS_AT")
    without = hub_cli(copy, "ingest", "probation", str(sample), without=hub_settings)
    assert without.returncode == 2 and "no pseudonym key" in without.stdout, without.stdout + without.stderr

    # a shell where `hub` is found only through the pasted line
    env = {name: value for name, value in os.environ.items() if name not in hub_settings}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not (Path(p) / "hub").exists())
    script = f"{line.replace(str(home), str(copy))}\nhub ingest probation {shlex.quote(str(sample))}"
    pasted = subprocess.run(["bash", "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                            timeout=300)
    assert pasted.returncode == 0, pasted.stdout + pasted.stderr
    con = duckdb.connect(str(copy / "hub.duckdb"), read_only=True)
    try:
        (status,) = con.execute("select status from audit.loads where file_path = ?", [str(sample)]).fetchone()
    finally:
        con.close()
    assert status == "loaded"


def test_ingest_of_a_folder_finds_each_partner_and_skips_what_it_has(tmp_path, real_dir, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    folder = tmp_path / "delivered" / "police"
    folder.mkdir(parents=True)
    for path in sorted((real_dir / "police_street").glob("2022-*.csv")):
        (folder / path.name).write_bytes(path.read_bytes())
    assert main(["ingest", str(folder.parent)]) == 0
    first = capsys.readouterr().out  # the two files (7,967 and 8,319 rows) on one line of their feed
    assert "│ police/street_crime │ loaded │ 2     │ 16,286 │ 16,286 │ 0        │ 2022-03      │ 2022-06 " in first
    assert main(["ingest", str(folder.parent)]) == 0
    assert "│ police/street_crime │ skipped │ 2     │ 16,286 │" in capsys.readouterr().out


def test_ingest_names_each_file_with_rows_rejected_beside_the_feed_totals(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    clean = street_file(tmp_path / "delivered", "gmp-2016-01.csv", "2016-01", 5)
    spoiled = street_file(tmp_path / "delivered", "gmp-2016-02.csv", "2016-02", 4)
    spoiled.write_text(spoiled.read_text().replace("-2.46", "west", 1))
    assert main(["ingest", "police", str(clean), str(spoiled)]) == 0
    out = capsys.readouterr().out
    assert "│ police/street_crime │ loaded │ 2     │ 9    │ 8      │ 1        │ 2016-01      │ 2016-02 " in out
    assert clean.name not in out and f"│ 2    │ {spoiled.name} │ police/street_crime │ 2016-02 │ 4    │ 3      │ 1 " in out


def test_a_refused_file_exits_1_and_names_the_file_and_column(tmp_path, real_dir, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    original = (real_dir / "police_street" / "2022-03-cleveland-street.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "cleveland-renamed.csv"
    renamed.write_text(original.replace("Crime type", "Offence", 1), encoding="utf-8")
    assert main(["ingest", "police", str(renamed)]) == 1
    out = capsys.readouterr().out
    assert "Refused" in out and "cleveland-renamed.csv" in out and "'Crime type'" in out


def test_an_unknown_partner_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    assert main(["ingest", "polce", str(tmp_path / "any.csv")]) == 2
    assert "unknown partner 'polce'" in capsys.readouterr().out


def test_a_run_without_the_pseudonym_key_refuses_to_start_and_loads_nothing(tmp_path):
    home = tmp_path / "hub"
    incoming = home / "incoming" / "ambulance"
    incoming.mkdir(parents=True)
    from warehouse.paths import PROJECT_DIR

    sample = PROJECT_DIR / "docs" / "samples" / "ambulance__callouts.csv"
    (incoming / "callouts.csv").write_bytes(sample.read_bytes())
    result = hub_cli(home, "run", without=("HUB_PSEUDONYM_KEY", "HUB_PSEUDONYM_KEY_FILE"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no pseudonym key" in result.stdout
    assert not (home / "hub.duckdb").exists()


def test_ingesting_identifiers_without_the_key_is_refused_before_anything_loads(tmp_path, monkeypatch, capsys):
    from warehouse.paths import PROJECT_DIR

    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))
    monkeypatch.delenv("HUB_PSEUDONYM_KEY")
    assert main(["ingest", "probation", str(PROJECT_DIR / "docs" / "samples" / "probation__caseload.csv")]) == 2
    assert "no pseudonym key" in capsys.readouterr().out
    assert not (tmp_path / "hub" / "hub.duckdb").exists()
