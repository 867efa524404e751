"""Organisations the national files name: Kent and Medway's (real ODS codes) and, for
synthetic England-wide files, a deterministic set of made-up codes that never collide
with a real Kent and Medway code."""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    kind: str  # "acute", "community", "mental_health", "commissioner"
    partnership: bool = False


KENT_MEDWAY: tuple[Organisation, ...] = (
    Organisation("RN7", "Dartford and Gravesham NHS Trust", "acute", True),
    Organisation("RPA", "Medway NHS Foundation Trust", "acute", True),
    Organisation("RWF", "Maidstone and Tunbridge Wells NHS Trust", "acute", True),
    Organisation("RVV", "East Kent Hospitals University NHS Foundation Trust", "acute", True),
    Organisation("RYY", "Kent Community Health NHS Foundation Trust", "community", True),
    Organisation(
        "RXY", "Kent and Medway NHS and Social Care Partnership Trust", "mental_health", True
    ),
    Organisation("09C", "NHS Ashford CCG", "commissioner", True),
    Organisation("09E", "NHS Canterbury and Coastal CCG", "commissioner", True),
    Organisation("09J", "NHS Dartford, Gravesham and Swanley CCG", "commissioner", True),
    Organisation("09W", "NHS Medway CCG", "commissioner", True),
    Organisation("10A", "NHS South Kent Coast CCG", "commissioner", True),
    Organisation("10D", "NHS Swale CCG", "commissioner", True),
    Organisation("10E", "NHS Thanet CCG", "commissioner", True),
    Organisation("99J", "NHS West Kent CCG", "commissioner", True),
)
PARTNERSHIP_CODES = frozenset(o.code for o in KENT_MEDWAY)
ACUTE_CODES = tuple(o.code for o in KENT_MEDWAY if o.kind == "acute")
COMMISSIONER_CODES = tuple(o.code for o in KENT_MEDWAY if o.kind == "commissioner")


def england(providers: int = 220, commissioners: int = 190) -> tuple[Organisation, ...]:
    """Kent and Medway plus synthetic acute providers (codes 'Z' + two characters) and
    synthetic commissioners (codes 'Y' + two digits and a letter): never real codes."""
    chars = string.ascii_uppercase + string.digits
    synthetic_providers = [
        Organisation(f"Z{a}{b}", f"Synthetic acute trust Z{a}{b}", "acute")
        for a, b in itertools.islice(itertools.product(chars, chars), providers)
    ]
    synthetic_commissioners = [
        Organisation(f"Y{n:02d}{letter}", f"Synthetic CCG Y{n:02d}{letter}", "commissioner")
        for n, letter in itertools.islice(
            itertools.product(range(100), string.ascii_uppercase[:4]), commissioners
        )
    ]
    return (*KENT_MEDWAY, *synthetic_providers, *synthetic_commissioners)
