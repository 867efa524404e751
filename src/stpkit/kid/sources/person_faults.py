"""Harder synthetic person records, with ground truth, for testing linkage honestly.

The project's main generator makes mild, independent slips, so every record keeps an exact
blocking partner. These records carry the faults real feeds have, several at once:
nicknames (from the shipped variant table), typos in two or three fields of one record,
missing date of birth or postcode, forename and surname swapped, day and month of birth
swapped, a move to another address, twins (same surname, address and date of birth,
different forename), households of several people at one address, and surnames drawn from a
steep (Zipf-like) distribution so that common surnames are really common. Every record
carries `person_id`, the truth; `nhs_number` is present on a share of records only.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any

FORENAMES_F = [
    "MARGARET",
    "ELIZABETH",
    "SUSAN",
    "PATRICIA",
    "JENNIFER",
    "KATHERINE",
    "REBECCA",
    "VICTORIA",
    "ABIGAIL",
    "JESSICA",
    "CHARLOTTE",
    "SOPHIE",
    "EMILY",
    "OLIVIA",
    "AMELIA",
    "HANNAH",
    "LAURA",
    "SARAH",
    "RACHEL",
    "HELEN",
    "JULIE",
    "ANNE",
    "LOUISE",
    "DEBORAH",
    "CHRISTINE",
    "JACQUELINE",
    "SAMANTHA",
    "NATALIE",
    "GRACE",
    "ZOE",
]
FORENAMES_M = [
    "WILLIAM",
    "ROBERT",
    "RICHARD",
    "JAMES",
    "JOHN",
    "THOMAS",
    "MICHAEL",
    "DAVID",
    "CHRISTOPHER",
    "ANTHONY",
    "EDWARD",
    "DANIEL",
    "MATTHEW",
    "ANDREW",
    "JOSEPH",
    "CHARLES",
    "PETER",
    "STEPHEN",
    "JONATHAN",
    "ALEXANDER",
    "BENJAMIN",
    "SAMUEL",
    "GEORGE",
    "HENRY",
    "OLIVER",
    "HARRY",
    "JACK",
    "NATHAN",
    "PATRICK",
    "TIMOTHY",
]
SURNAMES = [
    "SMITH",
    "JONES",
    "TAYLOR",
    "BROWN",
    "WILLIAMS",
    "WILSON",
    "JOHNSON",
    "DAVIES",
    "ROBINSON",
    "WRIGHT",
    "THOMPSON",
    "EVANS",
    "WALKER",
    "WHITE",
    "ROBERTS",
    "GREEN",
    "HALL",
    "WOOD",
    "JACKSON",
    "CLARKE",
    "PATEL",
    "KHAN",
    "LEWIS",
    "JAMES",
    "PHILLIPS",
    "MASON",
    "MITCHELL",
    "ROSE",
    "DAVIS",
    "RODRIGUEZ",
    "COX",
    "ALEXANDER",
    "MORGAN",
    "HUGHES",
    "EDWARDS",
    "HILL",
    "MOORE",
    "CLARK",
    "HARRIS",
    "SCOTT",
    "YOUNG",
    "COOPER",
    "KING",
    "BAKER",
    "HARRISON",
    "MARTIN",
    "ALLEN",
    "WARD",
    "TURNER",
    "CARTER",
    "OKONKWO",
    "NOWAK",
    "KOWALSKI",
    "OBRIEN",
    "MURPHY",
    "KELLY",
    "SHARMA",
    "SINGH",
    "BEGUM",
    "ALI",
    "CHEN",
    "NGUYEN",
    "FERREIRA",
]
DISTRICTS = ("ME1", "ME4", "ME7", "ME14", "ME15", "CT1", "CT2", "CT9", "TN1", "TN23", "DA1")


@dataclass(frozen=True)
class FaultSpec:
    people: int = 1000
    seed: int = 7
    max_records: int = 4
    twin_share: float = 0.02
    household_share: float = 0.3
    nickname_rate: float = 0.15
    multi_fault_rate: float = 0.15  # records with two or three fields wrong at once
    missing_dob_rate: float = 0.05
    missing_postcode_rate: float = 0.08
    swap_rate: float = 0.03
    dob_swap_rate: float = 0.03
    moved_rate: float = 0.1
    nhs_rate: float = 0.5


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 2:
        return text
    i = rng.randrange(len(text))
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + rng.choice(string.ascii_uppercase) + text[i + 1 :]
    if kind < 0.7 and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def _dob_digit(rng: random.Random, dob: str) -> str:
    positions = [i for i, c in enumerate(dob) if c.isdigit() and i >= 2]
    i = rng.choice(positions)
    return dob[:i] + str((int(dob[i]) + rng.randint(1, 8)) % 10) + dob[i + 1 :]


def nickname_variants() -> dict[str, list[str]]:
    """Each canonical forename (upper case) -> its nicknames and variants, sorted."""
    from stpkit.kid.pipeline.linkage.names import nickname_groups

    out: dict[str, list[str]] = {}
    for name, roots in nickname_groups().items():
        for root in roots:
            if root != name:
                out.setdefault(root, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def _people(spec: FaultSpec, rng: random.Random) -> list[dict[str, Any]]:
    weights = [1.0 / (rank + 1) for rank in range(len(SURNAMES))]  # steep: SMITH is common
    people: list[dict[str, Any]] = []
    while len(people) < spec.people:
        surname = rng.choices(SURNAMES, weights)[0]
        postcode = _postcode(rng)
        size = rng.randint(2, 5) if rng.random() < spec.household_share else 1
        for member in range(size):
            sex = rng.choice("MF")
            year = rng.randint(1930, 2020) if member < 2 else rng.randint(1995, 2020)
            dob = f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            person = {
                "forename": rng.choice(FORENAMES_M if sex == "M" else FORENAMES_F),
                "surname": surname,
                "sex": sex,
                "date_of_birth": dob,
                "postcode": postcode,
            }
            people.append(person)
            if rng.random() < spec.twin_share:  # a twin: everything but the forename
                names = FORENAMES_M if sex == "M" else FORENAMES_F
                other = rng.choice([n for n in names if n != person["forename"]])
                people.append({**person, "forename": other, "twin": True})
    for i, person in enumerate(people[: spec.people]):
        person["person_id"] = f"P{i:06d}"
        person["nhs_number"] = f"{9_000_000_000 + rng.randrange(10**9)}"
    return people[: spec.people]


def _record(spec: FaultSpec, rng: random.Random, person: dict[str, Any], nicks: Any) -> dict:
    rec = {k: person[k] for k in ("forename", "surname", "sex", "date_of_birth", "postcode")}
    if rng.random() < spec.nickname_rate and nicks.get(rec["forename"]):
        rec["forename"] = rng.choice(nicks[rec["forename"]])
    if rng.random() < spec.moved_rate:
        rec["postcode"] = _postcode(rng)
    if rng.random() < spec.swap_rate:
        rec["forename"], rec["surname"] = rec["surname"], rec["forename"]
    if rng.random() < spec.dob_swap_rate and int(rec["date_of_birth"][8:]) <= 12:
        y, m, d = rec["date_of_birth"].split("-")
        rec["date_of_birth"] = f"{y}-{d}-{m}"
    if rng.random() < spec.multi_fault_rate:
        for field in rng.sample(["forename", "surname", "date_of_birth", "postcode"], 3)[
            : rng.randint(2, 3)
        ]:
            if field == "date_of_birth":
                rec[field] = _dob_digit(rng, rec[field])
            else:
                rec[field] = _typo(rng, rec[field])
    if rng.random() < spec.missing_dob_rate:
        rec["date_of_birth"] = None
    if rng.random() < spec.missing_postcode_rate:
        rec["postcode"] = None
    rec["nhs_number"] = person["nhs_number"] if rng.random() < spec.nhs_rate else None
    rec["person_id"] = person["person_id"]
    return rec


def person_records(spec: FaultSpec | None = None) -> list[dict[str, Any]]:
    """Records (record_id, person_id, names, date_of_birth, sex, postcode, nhs_number)."""
    spec = spec or FaultSpec()
    rng = random.Random(spec.seed)
    nicks = nickname_variants()
    out: list[dict[str, Any]] = []
    for person in _people(spec, rng):
        for _ in range(rng.randint(1, spec.max_records)):
            rec = _record(spec, rng, person, nicks)
            rec["record_id"] = f"R{len(out):07d}"
            out.append(rec)
    return out


def registry(spec: FaultSpec | None = None) -> list[dict[str, Any]]:
    """The clean master patient index for the same people: one row per person."""
    spec = spec or FaultSpec()
    people = _people(spec, random.Random(spec.seed))
    keys = ("person_id", "forename", "surname", "sex", "date_of_birth", "postcode", "nhs_number")
    return [{k: p[k] for k in keys} for p in people]
