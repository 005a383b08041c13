"""Which contracts each partner delivers in, and which one a file is in, judged from its header alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.ambulance import AMBULANCE_CALLOUTS
from loaders.contracts import Contract
from loaders.errors import LoaderError
from loaders.fire import FIRE_INCIDENTS
from loaders.geojson import geojson_fields, is_geojson
from loaders.police_recorded_crime import POLICE_RECORDED_CRIME
from loaders.police_uk import BTP_STREET, POLICE_UK_STOP_SEARCH, POLICE_UK_STREET
from loaders.probation import PROBATION_CASELOAD
from loaders.reference import REFERENCE_CONTRACTS
from loaders.transport import DFT_COLLISIONS, TFGM_INCIDENTS, TFGM_STATS19_CASUALTIES

# Reference data comes first: feeds with postcodes are geocoded at the door against the directory.
CONTRACTS: dict[str, tuple[Contract, ...]] = {
    "reference": REFERENCE_CONTRACTS,
    "police": (POLICE_UK_STREET, POLICE_UK_STOP_SEARCH, POLICE_RECORDED_CRIME),
    "fire": (FIRE_INCIDENTS,),
    "ambulance": (AMBULANCE_CALLOUTS,),
    "probation": (PROBATION_CASELOAD,),
    "transport": (BTP_STREET, TFGM_STATS19_CASUALTIES, DFT_COLLISIONS, TFGM_INCIDENTS),
}
LOAD_ORDER = tuple(CONTRACTS)


def all_contracts() -> tuple[Contract, ...]:
    return tuple(contract for contracts in CONTRACTS.values() for contract in contracts)


class UnknownPartnerError(LookupError):
    def __init__(self, partner: str):
        super().__init__(f"unknown partner {partner!r}; the hub takes files from: {', '.join(sorted(CONTRACTS))}")


def detect_contract(partner: str, path: Path) -> Contract:
    if partner not in CONTRACTS:
        raise UnknownPartnerError(partner)
    file_format = "geojson" if is_geojson(path) else "csv"
    candidates = tuple(c for c in CONTRACTS[partner] if c.format == file_format)
    if not candidates:
        raise LoaderError(path, f"is a {file_format} file, which no {partner} format is", row=1)
    header = (geojson_fields(path) if file_format == "geojson"
              else read_header(path, tuple(dict.fromkeys(e for c in candidates for e in c.encodings))))
    for contract in candidates:
        if contract.present_columns(header) is not None:
            return contract
    closest = max(candidates, key=lambda c: len(set(c.headers) & set(header)))
    missing = [c.source for c in closest.columns if c.source not in header and not c.optional]
    unexpected = [(i, h) for i, h in enumerate(header, start=1) if h not in closest.headers]
    problem = []
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|")):
        problem.append("the header is one field: the file looks delimited by something other than commas")
    elif not set(header) & set(closest.headers):
        # No field is a header this partner uses: the first line is most likely a record (a file sent without its
        # header row), which may hold names and postcodes, so none of it is quoted.
        problem.append(f"its first line has none of the {closest.feed} headers, so it is not a header row (a file "
                       "sent without one?); its fields are not shown, as they may be personal data")
        missing = unexpected = []
    if missing:
        problem.append(f"missing column(s) {', '.join(repr(m) for m in missing)}")
    if unexpected:
        problem.append(f"unexpected column(s) {', '.join(f'{h!r} (field {i})' for i, h in unexpected[:5])}")
    if not missing and not unexpected:
        problem.append("the columns are in a different order")
    formats = ", ".join(f"'{c.feed}'" for c in candidates)
    raise LoaderError(
        path, f"is not in any {partner} format ({formats}); nearest is '{closest.feed}': {'; '.join(problem)}. "
              f"Expected {'the properties, then' if file_format == 'geojson' else 'the header'}: "
              f"{','.join(closest.headers)}", row=1,
    )


def read_fields(path: Path, contract: Contract) -> list[str]:
    """The fields a file holds, in order: a CSV's header, or a GeoJSON file's property names and its geometry."""
    return geojson_fields(path) if contract.format == "geojson" else read_header(path, contract.encodings)


def read_header(path: Path, encodings: tuple[str, ...] = ("utf-8",)) -> list[str]:
    with path.open("rb") as f:
        first = f.readline()
    if not first.strip():
        raise LoaderError(path, "is empty: no header and no rows. Ask the partner to send the extract again.")
    if _is_utf16(first):
        raise LoaderError(path, "is UTF-16 text (as Excel's 'Unicode Text' saves), which the hub does not read: "
                                "ask the partner to save the extract as 'CSV UTF-8'", row=1)
    text = _decode(path, first, encodings)
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise LoaderError(path, "is not a text CSV file (its first line holds control bytes): check it is the "
                                "partner's CSV extract and not another kind of file", row=1)
    return next(csv.reader(io.StringIO(text)))


def _is_utf16(line: bytes) -> bool:
    """A byte-order mark, or text in which every other byte is zero (UTF-16 without its mark)."""
    if line.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if len(line) < 8:
        return False
    even, odd = line[0::2], line[1::2]
    return (odd.count(0) >= 0.9 * len(odd) and 0 not in even) or (even.count(0) >= 0.9 * len(even) and 0 not in odd)


def _decode(path: Path, line: bytes, encodings: tuple[str, ...]) -> str:
    errors = []
    for encoding in encodings:
        try:
            return line.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError as error:
            errors.append(error)
    raise LoaderError(path, f"is not {' or '.join(e.upper() for e in encodings)} text (byte {errors[0].start} of the "
                            "header cannot be read): check it is the CSV extract and not another file", row=1)
