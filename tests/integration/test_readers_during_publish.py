"""A reader holding the published file open never blocks `hub run`, and only ever sees old or new data whole."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

from tests.helpers import GMP, copy_hub, csv_rows, hub_cli, make_hub
from warehouse.paths import PROJECT_DIR


def test_a_full_run_while_a_reader_holds_the_published_file(published_gmp_hub, tmp_path, real_dir):
    hub = make_hub(copy_hub(published_gmp_hub, tmp_path / "hub"))  # the real GMP file, built, checked, published
    gmp = real_dir / "police_street" / GMP
    cleveland = real_dir / "police_street" / "2022-03-cleveland-street.csv"
    before, after = len(csv_rows(gmp)), len(csv_rows(gmp)) + len(csv_rows(cleveland))

    stop = tmp_path / "stop"
    reports = {mode: tmp_path / f"{mode}.json" for mode in ("held", "fresh")}
    readers = [subprocess.Popen([sys.executable, str(PROJECT_DIR / "tests" / "integration" / "published_reader.py"),
                                 mode, str(hub.paths.published_db), str(stop), str(report)])
               for mode, report in reports.items()]
    try:
        for _ in range(200):
            if all(report.with_suffix(".ready").exists() for report in reports.values()):
                break
            time.sleep(0.05)
        (hub.paths.incoming / "police").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cleveland, hub.paths.incoming / "police" / cleveland.name)
        run = hub_cli(hub.paths.home, "run")
        time.sleep(0.5)  # let the fresh reader look at the new file a few times
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    assert run.returncode == 0, run.stdout + run.stderr
    held, fresh = (json.loads(reports[mode].read_text()) for mode in ("held", "fresh"))
    assert held["errors"] == fresh["errors"] == []
    assert set(held["counts"]) == {before}  # the session opened before the run keeps the old snapshot, whole
    assert set(fresh["counts"]) == {before, after} and fresh["counts"][-1] == after
    first_new = fresh["counts"].index(after)
    assert set(fresh["counts"][first_new:]) == {after}  # once the new file is in place, nobody sees the old
