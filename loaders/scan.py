"""One streamed pass over a delivered file's bytes, before any reader sees it: its checksum, whether it is UTF-8,
how many lines it has and the first line too long for its contract.

The line count is the loader's own, independent of DuckDB's CSV reader, which can lose a very long last record
without an error (a 32 MB final line is neither read nor reported). Counting newlines and checking line lengths
costs a vectorised count and two finds per chunk, so the hot path never loops over rows in Python; the checksum is
taken in a second thread meanwhile (hashlib releases the GIL), so the whole pass costs little more than hashing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK = 1 << 20
NEWLINE = ord("\n")


@dataclass(frozen=True)
class FileScan:
    sha256: str
    is_utf8: bool
    lines: int                                  # physical lines; a last line without its newline counts
    first_long_line: tuple[int, int] | None     # (line number, length in bytes) of the first line over the limit


def scan(path: Path, max_line_bytes: int) -> FileScan:
    """Lines wholly inside one chunk are shorter than the chunk, and the chunk is never longer than the limit, so
    only a line that reaches across a chunk's edge can be too long: those are the only ones measured."""
    chunk_size = min(CHUNK, max_line_bytes)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 0
    open_line = 0  # bytes of the line still open at the end of the chunks read so far
    too_long = None
    hashed: Future | None = None
    with path.open("rb") as f, ThreadPoolExecutor(1) as hasher:
        while chunk := f.read(chunk_size):
            if hashed:
                hashed.result()  # chunks are hashed in file order
            hashed = hasher.submit(digest.update, chunk)
            # ASCII needs no decoding, unless a character began at the end of the last chunk.
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                utf8 = _still_utf8(decoder, chunk)
            first = chunk.find(b"\n")
            if first < 0:
                open_line += len(chunk)
                continue
            if too_long is None and open_line + first > max_line_bytes:
                too_long = (lines + 1, open_line + first)
            lines += int(np.count_nonzero(np.frombuffer(chunk, np.uint8) == NEWLINE))
            open_line = len(chunk) - chunk.rfind(b"\n") - 1
        if hashed:
            hashed.result()
    if open_line:
        lines += 1
        if too_long is None and open_line > max_line_bytes:
            too_long = (lines, open_line)
    if utf8:
        utf8 = _still_utf8(decoder, b"", final=True)
    return FileScan(digest.hexdigest(), utf8, lines, too_long)


def count_records(path: Path) -> int:
    """Records, as a CSV parser sees them (a quoted field may span lines; blank lines are no record), header
    included. The slow, exact count, used only when a file's lines and its reader's rows disagree."""
    # The csv module refuses fields over 128 KB by default; how long a record may be is the contract's business.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for record in csv.reader(f) if record)


def _still_utf8(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True
