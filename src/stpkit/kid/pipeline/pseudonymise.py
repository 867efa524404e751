"""Pseudonymisation: the only code that sees identifiers.

The key is read from a file outside the data directory before anything else is read; a
missing key stops the build. NHS numbers are validated (modulus 11) and turned into person
tokens with keyed HMAC-SHA256. Both are SQL expressions (standard SHA-256 composed into
HMAC as RFC 2104 defines it), so DuckDB and Spark compute identical tokens; a test checks
them against Python's `hmac`.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from stpkit.kid.errors import PseudonymKeyError

MIN_KEY_BYTES = 32
TOKEN_HEX_CHARS = 32  # 128 bits


@dataclass(frozen=True)
class PseudonymKey:
    """An HMAC key, kept as its inner and outer padded forms for the SQL expression."""

    key: bytes

    def _padded(self) -> bytes:
        k = hashlib.sha256(self.key).digest() if len(self.key) > 64 else self.key
        return k.ljust(64, b"\x00")

    @property
    def ipad_hex(self) -> str:
        return bytes(b ^ 0x36 for b in self._padded()).hex()

    @property
    def opad_hex(self) -> str:
        return bytes(b ^ 0x5C for b in self._padded()).hex()

    def token(self, value: str) -> str:
        """The token in Python (for tests and checks): must equal `token_sql`."""
        return hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()[:TOKEN_HEX_CHARS]


def load_key(key_file: Path, forbidden_dirs: tuple[Path, ...] = ()) -> PseudonymKey:
    """Read the key, refusing a missing, short, or in-the-data key file."""
    path = key_file.expanduser().resolve()
    for folder in forbidden_dirs:
        folder = folder.resolve()
        if path == folder or folder in path.parents:
            raise PseudonymKeyError(
                f"{path}: pseudonym key file is inside {folder}; keep it outside the data "
                "(STPKIT_PSEUDONYM_KEY_FILE)"
            )
    if not path.is_file():
        raise PseudonymKeyError(
            f"{path}: pseudonym key file not found; create one with `stpkit kid key "
            "--out PATH` and set STPKIT_PSEUDONYM_KEY_FILE. Nothing was read."
        )
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"{path}: pseudonym key is {len(key)} bytes; at least {MIN_KEY_BYTES} are needed"
        )
    return PseudonymKey(key)


def write_new_key(path: Path) -> None:
    """Create a random key file readable only by its owner."""
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise PseudonymKeyError(f"{path}: a key file exists already; refusing to replace it")
    path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)


def token_sql(key: PseudonymKey, column: str) -> str:
    """HMAC-SHA256(key, column) as hex, truncated: the same SQL runs on DuckDB and Spark."""
    # encode() is UTF-8 on both engines; CAST(... AS BLOB) would fail in DuckDB on any
    # non-ASCII character or backslash in a name (e.g. 'Zoë').
    inner = f"unhex(sha256(unhex('{key.ipad_hex}') || encode({column})))"
    outer = f"lower(sha256(unhex('{key.opad_hex}') || {inner}))"
    return f"substr({outer}, 1, {TOKEN_HEX_CHARS})"


def nhs_digits_sql(column: str) -> str:
    """The NHS number with spaces and punctuation removed (empty stays empty)."""
    return f"regexp_replace(coalesce({column}, ''), '[^0-9]', '', 'g')"


def nhs_valid_sql(digits: str) -> str:
    """Modulus 11: weights 10..2 on the first nine digits; the tenth is the check digit."""
    total = " + ".join(
        f"CAST(substr({digits}, {i}, 1) AS INTEGER) * {11 - i}" for i in range(1, 10)
    )
    return (
        f"CASE WHEN regexp_matches({digits}, '^[0-9]{{10}}$') "
        f"THEN (11 - ({total}) % 11) % 11 = CAST(substr({digits}, 10, 1) AS INTEGER) "
        "ELSE false END"
    )
