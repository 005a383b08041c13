"""Partners' files in another text encoding (Excel on Windows saves cp1252) are read through a UTF-8 copy."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loaders.errors import LoaderError

CHUNK = 1 << 20


@contextmanager
def utf8_copy(path: Path, encodings: tuple[str, ...], is_utf8: bool) -> Iterator[Path]:
    """The file itself when it is UTF-8 (as loaders.scan found); else a temporary UTF-8 copy from the first encoding
    the contract accepts."""
    if is_utf8:
        yield path
        return
    for encoding in encodings:
        if encoding == "utf-8":
            continue
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / path.name
            try:
                with path.open("r", encoding=encoding, newline="") as source, copy.open("w", encoding="utf-8", newline="") as target:
                    while text := source.read(CHUNK):
                        target.write(text)
            except UnicodeDecodeError:
                continue
            yield copy
            return
    raise LoaderError(path, f"is not text in {' or '.join(encodings)}: some bytes cannot be read. "
                            "Ask the partner to save the extract as UTF-8 CSV.")
