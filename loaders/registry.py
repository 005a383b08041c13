"""Which contracts each partner delivers in, and which one a file is in, judged from its header alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders.contracts import Contract
from loaders.errors import LoaderError
from loaders.police_uk import POLICE_UK_STREET

CONTRACTS: dict[str, tuple[Contract, ...]] = {
    "police": (POLICE_UK_STREET,),
}


class UnknownPartnerError(LookupError):
    def __init__(self, partner: str):
        super().__init__(f"unknown partner {partner!r}; the hub takes files from: {', '.join(sorted(CONTRACTS))}")


def detect_contract(partner: str, path: Path) -> Contract:
    if partner not in CONTRACTS:
        raise UnknownPartnerError(partner)
    header = read_header(path)
    for contract in CONTRACTS[partner]:
        if tuple(header) == contract.headers:
            return contract
    closest = max(CONTRACTS[partner], key=lambda c: len(set(c.headers) & set(header)))
    missing = [h for h in closest.headers if h not in header]
    unexpected = [h for h in header if h not in closest.headers]
    problem = []
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|")):
        problem.append("the header is one field: the file looks delimited by something other than commas")
    if missing:
        problem.append(f"missing column(s) {', '.join(repr(m) for m in missing)}")
    if unexpected:
        problem.append(f"unexpected column(s) {', '.join(repr(u) for u in unexpected[:5])}")
    if not missing and not unexpected:
        problem.append("the columns are in a different order")
    raise LoaderError(
        path, f"is not in the {partner} '{closest.feed}' format: {'; '.join(problem)}. "
              f"Expected the header: {','.join(closest.headers)}", row=1,
    )


def read_header(path: Path) -> list[str]:
    with path.open("rb") as f:
        first = f.readline()
    if not first.strip():
        raise LoaderError(path, "is empty: no header and no rows. Ask the partner to send the extract again.")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoaderError(path, f"is not UTF-8 text (byte {error.start} of the header cannot be read): "
                                "check it is the CSV extract and not another file", row=1) from None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise LoaderError(path, "is not a text CSV file (its first line holds control bytes): check it is the "
                                "partner's CSV extract and not another kind of file", row=1)
    return next(csv.reader(io.StringIO(text)))
