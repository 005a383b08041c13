"""The one error a loader raises for a file it refuses: it names the file, and the row and column when known."""

from __future__ import annotations

from pathlib import Path


class LoaderError(Exception):
    def __init__(self, path: Path, message: str, *, row: int | None = None, column: str | None = None):
        self.path, self.row, self.column = Path(path), row, column
        where = "".join([f", line {row}" if row else "", f", column {column!r}" if column else ""])
        super().__init__(f"{self.path.name}{where}: {message}")
