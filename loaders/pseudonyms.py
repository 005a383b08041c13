"""Keyed pseudonyms for person identifiers (HMAC-SHA256), computed inside DuckDB so clear values never land.

HMAC is two SHA-256 passes over the key XOR-ed with fixed pads (RFC 2104). DuckDB has sha256 but no hmac, so
the pads are passed as blob parameters: the key never appears in SQL text, a query log or an error message.
Identifiers are normalised (trimmed, upper-cased) first, so 'ab123 ' from one partner and 'AB123' from another
give the same pseudonym and a person can be followed across partners without their identity.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

BLOCK_SIZE = 64
KEY_ENV = "HUB_PSEUDONYM_KEY"
KEY_FILE_ENV = "HUB_PSEUDONYM_KEY_FILE"


class MissingKeyError(RuntimeError):
    pass


@dataclass(frozen=True, repr=False)
class PseudonymKey:
    secret: bytes

    def __post_init__(self) -> None:
        if not 16 <= len(self.secret) <= BLOCK_SIZE:
            raise ValueError(f"a pseudonym key must be 16 to {BLOCK_SIZE} bytes long")

    def parameters(self) -> dict[str, bytes]:
        """The inner and outer pads, as named parameters for `pseudonym_sql`."""
        block = self.secret.ljust(BLOCK_SIZE, b"\0")
        return {"hmac_ipad": bytes(b ^ 0x36 for b in block), "hmac_opad": bytes(b ^ 0x5C for b in block)}


def pseudonym_sql(expression: str) -> str:
    """SQL for the hex HMAC-SHA256 of a normalised identifier; NULL or blank stays NULL."""
    value = f"nullif(upper(trim({expression})), '')"
    return f"sha256($hmac_opad || unhex(sha256($hmac_ipad || encode({value}))))"


def load_key(key_file: Path | None = None) -> PseudonymKey:
    """The key from HUB_PSEUDONYM_KEY (hex), HUB_PSEUDONYM_KEY_FILE or `key_file`; refuses to guess one."""
    if os.environ.get(KEY_ENV):
        return PseudonymKey(bytes.fromhex(os.environ[KEY_ENV]))
    path = Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else key_file
    if path is not None and path.exists():
        return PseudonymKey(bytes.fromhex(path.read_text().strip()))
    raise MissingKeyError(
        f"no pseudonym key: set {KEY_ENV} (hex) or {KEY_FILE_ENV} to the partnership's key file. "
        "Person identifiers cannot be loaded without it."
    )


def create_key_file(path: Path) -> PseudonymKey:
    """A new random key, readable only by its owner (used by the demo, never for real data)."""
    key = PseudonymKey(secrets.token_bytes(32))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(key.secret.hex())
    return key
