"""Every document the code and docs cite is in the repository: a reader of a clone can follow each reference."""

from __future__ import annotations

import re
import subprocess

from warehouse.paths import PROJECT_DIR

CITED_DOCUMENT = re.compile(r"[\w./-]*\b\w+\.md\b")


def test_every_cited_markdown_document_is_in_the_repository():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True).stdout
    committed = [name for name in listed.decode().split("\0") if name and (PROJECT_DIR / name).is_file()]
    names = {name.rsplit("/", 1)[-1] for name in committed}
    missing = set()
    for name in committed:
        text = (PROJECT_DIR / name).read_bytes().decode("utf-8", errors="ignore")
        missing |= {(name, cited) for cited in CITED_DOCUMENT.findall(text) if cited.rsplit("/", 1)[-1] not in names}
    assert sorted(missing) == []
