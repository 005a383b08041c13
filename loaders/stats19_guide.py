"""The DfT road safety data guide (an .xlsx workbook) as rows, and the STATS19 code list made from it at load time.

The guide is read with the standard library (an .xlsx file is zipped XML), so no spreadsheet package is needed. It
is public reference data (reference/manifest.toml), read from the reference directory and never committed: the
contracts check codes against it, and `write_codes` turns it into the CSV the stats19_codes reference feed loads.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from loaders.reference_data import STATS19_GUIDE, reference_file

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CODE_COLUMNS = ("table_name", "field_name", "code", "label")


def read_guide(path: Path) -> list[dict[str, str]]:
    """The code-list sheet as dicts of its header (table, field name, code/format, label, note)."""
    with zipfile.ZipFile(path) as book:
        shared = [_text(item) for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")]
        rows = [[_cell(cell, shared) for cell in row.iter(f"{MAIN}c")]
                for row in ET.fromstring(book.read(SHEET)).iter(f"{MAIN}row")]
    header = [value for _, value in rows[0]]
    return [{header[_column_index(ref)]: value for ref, value in row if _column_index(ref) < len(header)} for row in rows[1:]]


def codes_from_guide(path: Path) -> list[tuple[str, str, str, str]]:
    """Every (table, field, code, label) whose code is a whole number: the coded fields, sentinels included."""
    found = []
    for row in read_guide(path):
        code = row.get("code/format", "").strip()
        if code.lstrip("-").isdigit() and row.get("table") and row.get("field name"):
            found.append((row["table"].strip(), row["field name"].strip(), code, row.get("label", "").strip()))
    return found


@cache
def guide_codes() -> tuple[tuple[str, str, str, str], ...]:
    return tuple(codes_from_guide(reference_file(STATS19_GUIDE)))


class GuideCodes(Sequence):
    """The codes the guide allows for a field, read from the guide when a load first checks them (not at import,
    so the hub starts, and can fetch the guide, without it)."""

    def __init__(self, table: str, field: str):
        self.table, self.field = table, field

    def _codes(self) -> tuple[str, ...]:
        codes = tuple(code for table, field, code, _ in guide_codes() if (table, field) == (self.table, self.field))
        if not codes:
            raise KeyError(f"the STATS19 guide has no codes for {self.table}.{self.field}")
        return codes

    def __getitem__(self, index):
        return self._codes()[index]

    def __len__(self) -> int:
        return len(self._codes())

    def __bool__(self) -> bool:
        return True  # a closed code list, whatever it turns out to hold


def stats19_codes(table: str, field: str) -> GuideCodes:
    """The codes the guide allows for a field, for a contract's closed code list."""
    return GuideCodes(table, field)


def write_codes(guide: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CODE_COLUMNS)
        writer.writerows(codes_from_guide(guide))
    return target


def _text(node: ET.Element) -> str:
    return "".join(t.text or "" for t in node.iter(f"{MAIN}t"))


def _cell(cell: ET.Element, shared: list[str]) -> tuple[str, str]:
    value = cell.find(f"{MAIN}v")
    if value is None:
        inline = cell.find(f"{MAIN}is")
        return cell.get("r"), _text(inline) if inline is not None else ""
    return cell.get("r"), shared[int(value.text)] if cell.get("t") == "s" else value.text


def _column_index(ref: str) -> int:
    index = 0
    for letter in ref.rstrip("0123456789"):
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1
