"""docs/contracts.md, generated from the contracts themselves, so what partners read is what the engine checks.

`python -m tools.contract_docs` rewrites the part of docs/contracts.md between the two marker comments and leaves
the handwritten text around it alone; a test fails when the committed file differs from what this renders.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

from loaders.contracts import Column, Contract
from loaders.engine import FALSE_WORDS, TRUE_WORDS
from loaders.registry import all_contracts
from loaders.stats19_guide import GuideCodes, guide_codes
from warehouse.paths import PROJECT_DIR

DOCS = PROJECT_DIR / "docs" / "contracts.md"
SAMPLES = DOCS.parent / "samples"
BEGIN = "<!-- generated: contracts -->"
END = "<!-- end generated -->"
# A STATS19 code list longer than this is named, not listed (police_force alone has 52 codes).
LISTED_GUIDE_CODES = 6

PLAIN_TYPES = {
    "varchar": "text",
    "id": "reference (text; `1091.0` is read as `1091`)",
    "double": "number",
    "integer": "whole number",
    "month": "month, `YYYY-MM`",
    "year": "year, `YYYY`",
    "polygon": "GeoJSON Polygon or MultiPolygon (kept as its GeoJSON text)",
}
FORMAT_PARTS = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%b": "Mon", "%H": "hh", "%M": "mm", "%S": "ss", "%z": "±hh:mm"}
PERSONAL_WORDS = {
    None: "",
    "pseudonymise": "**pseudonymised**: replaced at the door by its keyed pseudonym; "
                    "the reference itself is never stored",
    "postcode": "**postcode**: replaced by its LSOA (from the postcode directory) and its outward code; "
                "the full postcode is never stored",
    "withhold": "**withheld**: read, so the file's shape is checked, but never stored",
}
ENCODING_WORDS = {"utf-8": "UTF-8 (a byte-order mark is allowed)",
                  "cp1252": "Windows-1252 (cp1252, as Excel on Windows saves a CSV)"}


def render_contracts(contracts: tuple[Contract, ...] | None = None) -> str:
    """The generated part of docs/contracts.md: one section per contract, in the order partners' files load."""
    return "\n\n".join(render_contract(c) for c in (contracts or all_contracts())) + "\n"


def render_contract(contract: Contract) -> str:
    lines = [f"### {contract.partner} / {contract.feed}", "",
             f"{contract.description} Stored in `raw.{contract.table}`.", ""]
    lines += ["| header as sent | stored as | type and formats | required | code list | personal data |",
              "|---|---|---|---|---|---|"]
    for column in contract.columns:
        header = f"`{column.source}`" + (" (the column may be left out)" if column.optional else "")
        stored = ", ".join(f"`{name}`" for name, _ in column.stored) or "not stored"
        cells = (header, stored, type_words(column), "yes" if column.required else "no", code_list(contract, column),
                 PERSONAL_WORDS[column.personal])
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *(f"- {item}" for item in _facts(contract))]
    sample = SAMPLES / f"{contract.partner}__{contract.feed}.csv"
    if sample.exists():
        lines.append(f"- **Sample file:** [{sample.relative_to(DOCS.parent)}]({sample.relative_to(DOCS.parent)})")
    return "\n".join(lines)


def _facts(contract: Contract) -> list[str]:
    facts = [f"**Period:** {period_words(contract)}",
             f"**Delivery slice:** {slice_words(contract)}; a later delivery of the same slice replaces the "
             "earlier one whole.",
             f"**Natural key:** {key_words(contract)}",
             f"**Encodings accepted:** {' or '.join(ENCODING_WORDS.get(e, e) for e in contract.encodings)}.",
             f"**Coordinates:** {coordinate_words(contract)}"]
    if contract.format == "geojson":
        facts.insert(0, "**Format:** a GeoJSON FeatureCollection, one record per feature: the headers are the "
                        "feature's properties, in order, then its `geometry`.")
    if any(c.personal == "pseudonymise" for c in contract.columns):
        facts.append("**Needs the partnership's pseudonym key** (`HUB_PSEUDONYM_KEY`): without it the file is not "
                     "loaded.")
    if any(c.personal == "postcode" for c in contract.columns):
        facts.append("**Needs the postcode directory** (reference / postcode_directory) loaded first, or its rows "
                     "are loaded without an LSOA.")
    return facts


def type_words(column: Column) -> str:
    if column.personal:
        # Personal data is read as text whatever its contract type, and checked only for presence.
        return {"pseudonymise": "reference (text)", "postcode": "postcode (text)"}.get(column.personal, "text")
    if column.type == "boolean":
        return f"True or False (any case; also {'/'.join(TRUE_WORDS[1:])} and {'/'.join(FALSE_WORDS[1:])})"
    if column.type in PLAIN_TYPES:
        return PLAIN_TYPES[column.type]
    formats = " or ".join(f"`{human_format(f)}`" for f in column.formats)
    words = f"{column.type}, {formats}"
    if any(f.endswith("%z") for f in column.formats):
        words += " (kept as UK local time)"
    return words


def human_format(fmt: str) -> str:
    for code, words in FORMAT_PARTS.items():
        fmt = fmt.replace(code, words)
    return fmt


def code_list(contract: Contract, column: Column) -> str:
    if not column.values:
        return ""
    guide = guide_field(contract, column)
    if guide is None:
        return ", ".join(f"`{v}`" for v in column.values)
    name = f"DfT guide codes for {guide[0]}.{guide[1]}"
    if len(column.values) > LISTED_GUIDE_CODES:
        return f"{name} ({len(column.values)} codes)"
    labels = _guide()[guide]
    return "; ".join(f"`{v}` {labels[v]}" for v in column.values) + f" ({name})"


def guide_field(contract: Contract, column: Column) -> tuple[str, str] | None:
    """Which field of the DfT road safety data guide a STATS19 column's codes come from."""
    return (column.values.table, column.values.field) if isinstance(column.values, GuideCodes) else None


@cache
def _guide() -> dict[tuple[str, str], dict[str, str]]:
    codes: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for table, field, code, label in guide_codes():
        codes[(table, field)][code] = label
    return dict(codes)


def period_words(contract: Contract) -> str:
    if contract.period is None:
        return "none: reference data, not events."
    column = contract.column(contract.period)
    unit = "year" if column.type == "year" else "month"
    return f"`{column.source}` says which {unit} a row belongs to."


def slice_words(contract: Contract) -> str:
    parts = []
    for name in contract.delivery_scope:
        if name == "period_month":
            unit = "year" if contract.period and contract.column(contract.period).type == "year" else "month"
            parts.append(f"the {unit} the row belongs to")
        else:
            parts.append(f"the value of `{contract.column(name).source}`")
    return " and ".join(parts) or "the whole file"


def key_words(contract: Contract) -> str:
    if not contract.natural_key:
        return "none; rows are not checked for repeats."
    headers = " + ".join(f"`{contract.column(n).source}`" for n in contract.natural_key)
    return f"{headers}, unique within a delivery; a repeat is quarantined (the first row is kept)."


def coordinate_words(contract: Contract) -> str:
    if contract.coordinates is None:
        return "none."
    longitude, latitude = (contract.column(n).source for n in contract.coordinates)
    return (f"`{longitude}` and `{latitude}` are range-checked: both or neither, longitude within ±180 and "
            "latitude within ±90, or the row is quarantined.")


def render_document(text: str, generated: str | None = None) -> str:
    """The document with the part between the markers replaced by the generated sections."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError(f"the document needs one {BEGIN} followed by one {END}")
    before, rest = text.split(BEGIN)
    _, after = rest.split(END)
    return f"{before}{BEGIN}\n\n{generated or render_contracts()}\n{END}{after}"


def main(path: Path = DOCS) -> None:
    text = path.read_text(encoding="utf-8")
    rendered = render_document(text)
    if rendered != text:
        path.write_text(rendered, encoding="utf-8")
        print(f"rewrote the generated contracts in {path}")
    else:
        print(f"{path} is up to date")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS)
