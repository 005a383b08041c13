"""One setting each: HUB_THREADS sets both dbt's model threads and DuckDB's, HUB_MEMORY_LIMIT DuckDB's limit on
every connection, dbt's too; HUB_AS_AT is read once, by the hub, and reaches the models as the dbt var `as_at`, like
every other model setting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date

from tests.helpers import hub_cli, make_hub
from warehouse.paths import PROJECT_DIR

# dbt's own profile renderer on the repository's profiles.yml, in a process of its own (dbt keeps global flags).
RENDER_PROFILE = """
import os
from argparse import Namespace
from dbt.config.profile import Profile, read_profile
from dbt.config.renderer import ProfileRenderer
from dbt.flags import set_flags
from dbt_common.context import set_invocation_context
set_invocation_context(os.environ)
set_flags(Namespace(LOG_CACHE_EVENTS=False))
profile = Profile.from_raw_profiles(read_profile('.'), 'partnership_hub', ProfileRenderer({}))
options = profile.credentials.config_options
print(profile.threads, options['threads'], options['memory_limit'])
"""


def _rendered_profile(env: dict[str, str]) -> list[str]:
    rendered = subprocess.run([sys.executable, "-c", RENDER_PROFILE], cwd=PROJECT_DIR, env=env, capture_output=True,
                              text=True, timeout=120)
    assert rendered.returncode == 0, rendered.stderr
    return rendered.stdout.split()


def test_hub_threads_sets_dbts_model_threads_and_its_duckdb_threads(tmp_path):
    env = {**os.environ, "HUB_THREADS": "1", "HUB_DBT_THREADS": "3", "HUB_MEMORY_LIMIT": "1234MB",
           "HUB_DB_PATH": str(tmp_path / "hub.duckdb")}
    assert _rendered_profile(env) == ["1", "1", "1234MB"]


def test_dbt_run_by_hand_gets_the_hubs_default_limits(tmp_path):
    from loaders.database import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS

    env = {**{k: v for k, v in os.environ.items() if k not in ("HUB_THREADS", "HUB_MEMORY_LIMIT")},
           "HUB_DB_PATH": str(tmp_path / "hub.duckdb")}
    assert _rendered_profile(env) == [str(DEFAULT_THREADS), str(DEFAULT_THREADS), DEFAULT_MEMORY_LIMIT]


def test_dbts_duckdb_gets_the_limits_the_hub_passes(tmp_path, hub_template, monkeypatch):
    """Read back from the database dbt opened, so a limit dropped or defaulted on the way would show (DuckDB's own
    defaults are 80% of the machine's memory and one thread a core)."""
    import duckdb

    from warehouse import transform

    monkeypatch.setattr(transform, "MEMORY_LIMIT", "1111MB")
    monkeypatch.setattr(transform, "THREADS", 1)
    hub = make_hub(tmp_path / "hub", hub_template)
    shown = transform.run_dbt(hub.paths, "show", "--output", "json", "--inline",
                              "select current_setting('memory_limit') as memory_limit, "
                              "current_setting('threads') as threads")
    (limit,) = duckdb.connect(config={"memory_limit": "1111MB"}).execute(
        "select current_setting('memory_limit')").fetchone()
    assert f'"memory_limit": "{limit}"' in shown and '"threads": 1' in shown, shown


def test_no_model_or_macro_reads_the_environment():
    readers = [str(path.relative_to(PROJECT_DIR)) for folder in ("models", "macros")
               for path in (PROJECT_DIR / folder).rglob("*.*") if "env_var" in path.read_text(encoding="utf-8")]
    assert readers == []


def test_the_scorecard_judges_lateness_at_the_as_at_var():
    sql = (PROJECT_DIR / "models" / "marts" / "quality" / "dq_partner_scorecard.sql").read_text(encoding="utf-8")
    assert re.search(r"var\('as_at'\)", sql)


def test_hub_as_at_is_read_into_the_hub(monkeypatch, tmp_path):
    from warehouse.pipeline import Hub

    monkeypatch.setenv("HUB_HOME", str(tmp_path))
    monkeypatch.setenv("HUB_AS_AT", "2018-04-30")
    assert Hub.from_env().as_at == date(2018, 4, 30)
    monkeypatch.setenv("HUB_AS_AT", "")
    assert Hub.from_env().as_at is None


def test_an_unreadable_hub_as_at_stops_with_one_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_AS_AT", "30/04/2018")
    result = hub_cli(tmp_path, "status")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.strip() == "Usage: HUB_AS_AT must be a date written YYYY-MM-DD, not '30/04/2018'"
