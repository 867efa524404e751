"""Name keys computed once per distinct name: cleaned form, Soundex, nickname roots.

Phonetic and nickname keys are looked up per *distinct* value (a few hundred thousand at
full Kent and Medway scale, against ~20M records), then joined back in SQL, so the Python
cost does not grow with the number of records and every engine sees plain columns.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

NICKNAMES = Path(__file__).with_name("data") / "nicknames.csv"

_SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


def clean_name(value: object) -> str | None:
    """Upper case, accents stripped, letters only (hyphens and apostrophes dropped)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", str(value))
    letters = "".join(c for c in text if c.isalpha() and not unicodedata.combining(c)).upper()
    return letters or None


def soundex(name: str | None) -> str | None:
    """American Soundex (letter + 3 digits) of a cleaned name."""
    if not name:
        return None
    name = "".join(c for c in name.upper() if "A" <= c <= "Z")
    if not name:
        return None
    first = name[0]
    digits = []
    last = _SOUNDEX_CODES.get(first, "")
    for c in name[1:]:
        code = _SOUNDEX_CODES.get(c, "")
        if code and code != last:
            digits.append(code)
        if c not in "HW":  # H and W do not separate letters with the same code
            last = code
    return (first + "".join(digits) + "000")[:4]


@lru_cache(maxsize=1)
def nickname_groups() -> dict[str, tuple[str, ...]]:
    """Each known name -> the sorted canonical names it belongs to (itself included)."""
    roots: dict[str, set[str]] = defaultdict(set)
    with NICKNAMES.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("relationship") != "has_nickname":
                continue
            canon, nick = clean_name(row["name1"]), clean_name(row["name2"])
            if not canon or not nick:
                continue
            roots[canon].add(canon)
            roots[nick].add(canon)
    return {name: tuple(sorted(group)) for name, group in roots.items()}


def name_roots(name: str | None) -> list[str]:
    """Canonical names of a forename (the name itself when it is in no group)."""
    if not name:
        return []
    return list(nickname_groups().get(name, (name,)))


@lru_cache(maxsize=1)
def _group_sizes() -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for group in nickname_groups().values():
        for root in group:
            sizes[root] += 1
    return dict(sizes)


def name_root(name: str | None) -> str | None:
    """One blocking key per forename: its canonical name with the most variants.

    BOB and ROBERT both map to ROBERT (the larger group), so a nickname and its full form
    meet in one block even though the published list gives each several roots.
    """
    roots = name_roots(name)
    if not roots:
        return None
    sizes = _group_sizes()
    return min(roots, key=lambda r: (-sizes.get(r, 0), r))
