"""No public data lives in the repository: reference files are read from the reference directory, not committed.

The lookups, IMD scores, populations and the DfT code list used to be seeds (copies of files in ../shared/data, or
tables made from them). Now the repository holds only the hub's own tables, and a manifest saying where each public
file comes from (reference/manifest.toml).
"""

from __future__ import annotations

import hashlib
import re
import subprocess

from loaders.reference_data import manifest
from warehouse.paths import PROJECT_DIR

AREA_CODE = re.compile(rb"\b[EW]0[0-9]{7}\b")  # ONS output area, LSOA, MSOA or ward codes
# A hand-made fixture or sample names a few dozen areas at most; a lookup or population table names hundreds.
MOST_AREA_CODES_IN_A_COMMITTED_FILE = 100


def _committed_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True).stdout
    return [PROJECT_DIR / name for name in listed.decode().split("\0") if name and (PROJECT_DIR / name).is_file()]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_no_committed_file_is_a_copy_of_a_shared_data_file(real_dir):
    shared = {_sha256(p.read_bytes()): p for p in real_dir.parent.rglob("*") if p.is_file()}
    copies = [(str(f.relative_to(PROJECT_DIR)), str(shared[h])) for f in _committed_files()
              if (h := _sha256(f.read_bytes())) in shared]
    assert copies == []


def test_no_committed_file_is_a_reshaped_lookup_or_population_table():
    crowded = {str(f.relative_to(PROJECT_DIR)): n for f in _committed_files()
               if (n := len(set(AREA_CODE.findall(f.read_bytes())))) > MOST_AREA_CODES_IN_A_COMMITTED_FILE}
    assert crowded == {}


def test_the_manifest_names_each_reference_file_with_its_checksum_and_it_matches(real_dir):
    for entry in manifest():
        data = (real_dir / entry.path).read_bytes()
        assert (_sha256(data), len(data)) == (entry.sha256, entry.bytes), entry.path
        assert entry.url.startswith("https://") and entry.licence.startswith("OGL"), entry.path


def test_the_stats19_codes_are_read_from_the_real_dft_guide(real_dir):
    from loaders.stats19_guide import codes_from_guide

    codes = codes_from_guide(real_dir / "stats19" / "dft-road-safety-open-dataset-data-guide-2024.xlsx")
    assert ("casualty", "casualty_severity", "2", "Serious") in codes
    assert ("casualty", "sex_of_casualty", "-1", "Data missing or out of range") in codes
