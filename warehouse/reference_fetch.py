"""`hub reference fetch`: download the public reference files of reference/manifest.toml, verify, and store them.

Each file is downloaded to a `.part` file beside its place under $HUB_HOME/reference, resumed with an HTTP Range
request when a download is cut short (or started again when the server ignores the range), tried a few times, and
stored (renamed into place) only when its size and SHA-256 are the manifest's. A file already there and verified
is not downloaded again. A mirror (`--mirror URL`: any HTTP server holding the reference directory's layout, such as
a partnership's own copy) stands in for the sources; a file whose upstream form differs from the file used here
(an R .rda converted to CSV) can only come from a mirror.
"""

from __future__ import annotations

import hashlib
import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from loaders.reference_data import ReferenceFile, fetched_dir, manifest
from warehouse.paths import HubPaths

ATTEMPTS = 3
TIMEOUT_SECONDS = 60
CHUNK = 1 << 16


class FetchError(Exception):
    """A reference file could not be fetched, or arrived different from its manifest entry: nothing was stored."""


class ReferenceUnreachable(FetchError):
    """The source (or mirror) cannot be reached at all: offline, or the server is down."""


@dataclass(frozen=True)
class Fetched:
    path: Path
    status: str      # downloaded | already present
    attempts: int


def fetch_reference(paths: HubPaths, mirror: str | None = None, only: tuple[str, ...] = ()) -> list[Fetched]:
    entries = [e for e in manifest() if not only or e.path in only]
    unknown = set(only) - {e.path for e in entries}
    if unknown:
        raise FetchError(f"not in reference/manifest.toml: {', '.join(sorted(unknown))}")
    return [_fetch(entry, fetched_dir(paths.home) / entry.path, mirror) for entry in entries]


def _fetch(entry: ReferenceFile, target: Path, mirror: str | None) -> Fetched:
    if target.is_file() and _verified(entry, target):
        return Fetched(target, "already present", 0)
    if mirror is None and entry.converted:
        raise FetchError(f"{entry.path} is not published as this file ({entry.converted}): fetch it from a mirror "
                         "holding the reference directory (hub reference fetch --mirror URL)")
    url = f"{mirror.rstrip('/')}/{entry.path}" if mirror else entry.url
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    problems = []
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _download(url, part)
        except _Unreachable as error:
            raise ReferenceUnreachable(f"cannot reach {url} ({error}): the machine looks offline or the server is down. "
                             "Nothing was stored; try again when it can be reached, or use --mirror") from None
        except urllib.error.HTTPError as error:
            problems.append(f"attempt {attempt}: HTTP {error.code} {error.reason}")
            continue
        if part.stat().st_size < entry.bytes:
            problems.append(f"attempt {attempt}: {part.stat().st_size:,} of {entry.bytes:,} bytes arrived")
            continue
        if not _verified(entry, part):
            part.unlink()
            raise FetchError(f"{entry.path} from {url} is not the file the manifest names (its size or SHA-256 "
                             f"differs from {entry.sha256[:16]}...): refused, nothing stored")
        part.replace(target)
        return Fetched(target, "downloaded", attempt)
    raise FetchError(f"{entry.path} from {url} did not arrive whole after {ATTEMPTS} attempts "
                     f"({'; '.join(problems)}); the part downloaded is kept, so a later fetch resumes it")


class _Unreachable(Exception):
    pass


def _download(url: str, part: Path) -> None:
    """Continue `part` from its length when it exists (Range); start again if the server sends the whole file. A
    download cut short keeps what arrived, for the next attempt to resume from."""
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        if error.code == 416:  # the part already holds every byte
            return
        raise
    except urllib.error.URLError as error:
        raise _Unreachable(str(error.reason)) from None
    with response, part.open("ab" if response.status == 206 else "wb") as out:
        try:
            while chunk := response.read(CHUNK):
                out.write(chunk)
        except (http.client.HTTPException, OSError):
            pass


def _verified(entry: ReferenceFile, path: Path) -> bool:
    if path.stat().st_size != entry.bytes:
        return False
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest() == entry.sha256
