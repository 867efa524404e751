"""Pseudonymisation: modulus 11, keyed HMAC tokens (SQL = Python), key handling."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import numpy as np
import pytest

from stpkit.kid import PseudonymKeyError
from stpkit.kid.pipeline import (
    PseudonymKey,
    build,
    load_key,
    nhs_digits_sql,
    nhs_valid_sql,
    token_sql,
    write_new_key,
)
from stpkit.kid.sources import nhs_check_digits, synthetic_nhs_numbers

# Hand-worked cases. 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299;
# 299 mod 11 = 2; 11 - 2 = 9 = the check digit. 2000000010: 2*10 + 1*2 = 22, remainder 0,
# so the check digit is 11 -> 0. 123456789x: remainder 1, check 10: no valid number.
VALID = ["9434765919", "4010232137", "943 476 5919", "2000000010", " 4010232137 "]
INVALID = [
    "9434765918",  # wrong check digit
    "9434765910",
    "1234567890",  # check digit would be 10: never valid
    "1234567891",
    "943476591",  # nine digits
    "94347659190",  # eleven digits
    "",
    "NOTANUMBER",
]


def _sql_valid(values: list[str]) -> list[bool]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    digits = nhs_digits_sql("v")
    rows = con.execute(f"SELECT {nhs_valid_sql(digits)} FROM t ORDER BY i").fetchall()
    return [bool(r[0]) for r in rows]


def test_modulus_11_hand_cases_in_sql() -> None:
    assert _sql_valid(VALID) == [True] * len(VALID)
    assert _sql_valid(INVALID) == [False] * len(INVALID)


def test_modulus_11_check_digit_generator_matches_hand_cases() -> None:
    checks = nhs_check_digits(np.array([943476591, 401023213, 200000001, 123456789]))
    assert checks.tolist() == [9, 7, 0, 10]


def test_every_single_digit_error_is_caught() -> None:
    """Modulus 11 detects any one changed digit: the property the fault injection relies on."""
    numbers = synthetic_nhs_numbers(40, np.random.default_rng(3)).tolist()
    assert all(_sql_valid(numbers))
    altered = [n[:i] + str((int(n[i]) + d) % 10) + n[i + 1 :] for n in numbers[:10]
               for i in range(10) for d in (1, 5)]  # fmt: skip
    assert not any(_sql_valid(altered))


KEY_A = PseudonymKey(b"a" * 40)
KEY_B = PseudonymKey(b"b" * 40)


def test_token_is_keyed_hmac_sha256_truncated() -> None:
    expected = hmac.new(b"a" * 40, b"9434765919", hashlib.sha256).hexdigest()[:32]
    assert KEY_A.token("9434765919") == expected
    assert KEY_A.token("9434765919") == KEY_A.token("9434765919")  # stable
    assert KEY_A.token("9434765919") != KEY_B.token("9434765919")  # keyed
    assert KEY_A.token("9434765919") != KEY_A.token("4010232137")


@pytest.mark.parametrize("key", [b"k" * 32, b"k" * 64, b"long-key-" * 12], ids=len)
def test_sql_token_equals_python_hmac(key: bytes) -> None:
    """The SQL both engines run is HMAC as RFC 2104 defines it, including long keys and
    non-ASCII text (names are tokenised for provisional identities)."""
    pk = PseudonymKey(key)
    values = ["9434765919", "ZOË|O'BRIEN|1950-01-02|F|ME1 1AA", "back\\slash", "Siân"]
    con = duckdb.connect()
    got = [con.execute(f"SELECT {token_sql(pk, '?')}", [v]).fetchall()[0][0] for v in values]
    assert got == [pk.token(v) for v in values]
    assert all(len(t) == 32 for t in got)


def test_key_file_written_private_and_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "k.key"
    write_new_key(path)
    assert path.stat().st_mode & 0o077 == 0
    assert len(load_key(path).key) == 64
    with pytest.raises(PseudonymKeyError, match="exists already"):
        write_new_key(path)


def test_short_key_and_key_inside_data_are_refused(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text("abc\n")
    with pytest.raises(PseudonymKeyError, match="3 bytes"):
        load_key(short)
    raw = tmp_path / "raw"
    raw.mkdir()
    inside = raw / "k.key"
    inside.write_text("x" * 64)
    with pytest.raises(PseudonymKeyError, match="inside"):
        load_key(inside, forbidden_dirs=(raw,))


def test_missing_key_stops_the_build_before_reading_anything(tmp_path: Path) -> None:
    """The raw directory does not even exist: if anything were read first, the error would be
    about the extracts. And no store directory is created."""
    store = tmp_path / "store"
    with pytest.raises(PseudonymKeyError, match=r"not found.*Nothing was read"):
        build(tmp_path / "no-such-raw", store, tmp_path / "missing.key")
    assert not store.exists()
