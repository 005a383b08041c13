"""The DfT road safety data guide (an .xlsx workbook) as rows, and the seed of STATS19 codes made from it.

The guide is read with the standard library (an .xlsx file is zipped XML), so no spreadsheet package is needed.
`python -m loaders.stats19_guide GUIDE.xlsx` rewrites seeds/transport/stats19_codes.csv; a test proves the seed
is exactly what the real guide in ../shared says.
"""

from __future__ import annotations

import csv
import sys
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from pathlib import Path

from warehouse.paths import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "transport" / "stats19_codes.csv"
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SEED_COLUMNS = ("table_name", "field_name", "code", "label")


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
def stats19_codes(table: str, field: str) -> tuple[str, ...]:
    """The codes the guide (as seeded) allows for a field, for a contract's closed code list."""
    with SEED.open(encoding="utf-8", newline="") as f:
        codes = tuple(r["code"] for r in csv.DictReader(f) if r["table_name"] == table and r["field_name"] == field)
    if not codes:
        raise KeyError(f"the STATS19 guide has no codes for {table}.{field}")
    return codes


def write_seed(guide: Path, seed: Path = SEED) -> None:
    seed.parent.mkdir(parents=True, exist_ok=True)
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(SEED_COLUMNS)
        writer.writerows(codes_from_guide(guide))


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


if __name__ == "__main__":
    write_seed(Path(sys.argv[1]))
