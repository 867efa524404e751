"""The synthetic true population: who lives where, their NHS numbers, conditions, moves and deaths.

`make_population` draws residents registered with the real Kent and Medway practices on
the real LSOAs (`stpkit.kid.sources.geography`); `visitors_from_outside`
adds people from elsewhere who attend A&E here. Arrays are aligned by person index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from stpkit.kid.sources.geography import draw_registered
from stpkit.kid.sources.names import (
    FORENAMES_F,
    FORENAMES_M,
    OUT_OF_AREA_POSTCODES,
    POSTCODE_AREA,
    SURNAMES,
    UNIT_LETTERS,
)


@dataclass(frozen=True)
class FaultRates:
    """Per-record probabilities of each injected fault (the defaults are the benchmark's)."""

    missing_nhs: float = 0.015
    missing_nhs_social_care: float = 0.08
    invalid_nhs: float = 0.005
    name_typo: float = 0.02
    dob_transposed: float = 0.005
    postcode_out_of_area: float = 0.005
    duplicate: float = 0.005
    impossible_date: float = 0.002
    unknown_code: float = 0.001
    # the faults real feeds have (issue 15), several per record at once where they coincide
    nickname: float = 0.03  # forename given as a nickname or variant (shipped table)
    several_fields: float = 0.01  # both names mistyped and the date of birth a few days out
    missing_dob: float = 0.01
    missing_postcode: float = 0.01
    names_swapped: float = 0.005  # forename in the surname field and vice versa
    other_address: float = 0.02  # a record giving an address the person never had here
    # in the population: twins (same surname, address and date of birth, other forename)
    # and households (people at one postcode sharing a surname)
    twins: float = 0.01
    household: float = 0.3


@dataclass(frozen=True)
class SynthSpec:
    people: int = 5000
    years: int = 1
    seed: int = 42
    start_year: int = 2024
    faults: FaultRates = field(default_factory=FaultRates)


@dataclass
class SynthResult:
    raw_dir: Path
    truth_dir: Path
    people: int
    records: dict[str, int]


@dataclass
class Population:
    """The true population: one entry per person (arrays aligned by person index)."""

    person_id: np.ndarray
    nhs: np.ndarray  # str
    forename: np.ndarray
    surname: np.ndarray
    sex: np.ndarray  # 1 male, 2 female
    dob: np.ndarray  # datetime64[D]
    age: np.ndarray
    lsoa_idx: np.ndarray
    postcode_old: np.ndarray
    postcode_new: np.ndarray
    move_date: np.ndarray  # datetime64[D]; NaT-free: far future when not moving
    death_date: np.ndarray  # datetime64[D]; far future when alive
    practice: np.ndarray
    ltc_count: np.ndarray
    ltc: dict[str, np.ndarray]
    registered_from: np.ndarray
    deprivation: np.ndarray | None = None  # LSOA IMD score in sd (residents only)


FAR_FUTURE = np.datetime64("2999-12-31")


def nhs_check_digits(base9: np.ndarray) -> np.ndarray:
    """Modulus 11 check digit for 9-digit integers (10 means the base is unusable)."""
    digits = np.stack([(base9 // 10 ** (8 - i)) % 10 for i in range(9)], axis=1)
    weights = np.arange(10, 1, -1)
    remainder = (digits * weights).sum(axis=1) % 11
    check = 11 - remainder
    return np.where(check == 11, 0, check)


def synthetic_nhs_numbers(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unique valid NHS numbers from the 9xx test range (never issued to a real person)."""
    out: list[np.ndarray] = []
    seen = 0
    while seen < n:
        base = rng.integers(900_000_000, 1_000_000_000, size=int((n - seen) * 1.2) + 100)
        check = nhs_check_digits(base)
        ok = base[check != 10] * 10 + check[check != 10]
        out.append(ok)
        seen += len(ok)
    numbers = np.unique(np.concatenate(out))
    rng.shuffle(numbers)
    while len(numbers) < n:  # collisions removed by unique: top up
        numbers = np.unique(np.concatenate([numbers, synthetic_nhs_numbers(n, rng)]))
    return numbers[:n].astype(str)


def _lsoa_postcodes(names: list[str], rng: np.random.Generator, per_lsoa: int) -> np.ndarray:
    """Plausible, unique full postcodes for each LSOA (shape lsoas x per_lsoa)."""
    out = np.empty((len(names), per_lsoa), dtype=object)
    used: set[str] = set()
    for i, name in enumerate(names):
        la = re.sub(r" \d+[A-Z]$", "", name)
        area, lo, hi = POSTCODE_AREA.get(la, ("ME", 1, 20))
        district = int(rng.integers(lo, hi + 1))
        sector = int(rng.integers(1, 10))
        j = 0
        while j < per_lsoa:
            unit = "".join(rng.choice(UNIT_LETTERS, 2))
            pc_ = f"{area}{district} {sector}{unit}"
            if pc_ not in used:
                used.add(pc_)
                out[i, j] = pc_
                j += 1
    return out


def make_population(spec: SynthSpec, lsoas: pa.Table, rng: np.random.Generator) -> Population:
    """Residents registered with the real practices in the real numbers by LSOA, with each
    practice's QOF prevalence (`stpkit.kid.sources.geography` says what is real and what is
    drawn); then names, NHS numbers, postcodes, house moves and deaths, all invented."""
    registered = draw_registered(spec.people, rng)
    n = len(registered.age)
    n_lsoa = lsoas.num_rows
    lsoa_codes = np.asarray(lsoas["lsoa_code"].to_pylist())
    position = {c: i for i, c in enumerate(lsoa_codes)}
    lsoa_idx = np.fromiter((position[c] for c in registered.lsoa_code), np.int64, n)
    age = registered.age
    sex = registered.sex
    year0 = np.datetime64(f"{spec.start_year}-01-01")
    dob = year0 - (age * 365.25 + rng.integers(1, 365, n)).astype("timedelta64[D]")
    forename = np.where(
        sex == 1,
        np.array(FORENAMES_M)[rng.integers(0, len(FORENAMES_M), n)],
        np.array(FORENAMES_F)[rng.integers(0, len(FORENAMES_F), n)],
    )
    surname = common_surnames(n, rng)
    per_lsoa = max(8, min(40, n // n_lsoa // 8 + 8))
    postcodes = _lsoa_postcodes(list(lsoas["lsoa_name"].to_pylist()), rng, per_lsoa)
    # The registry's (year-end) address is the drawn LSOA; movers came from another one.
    days = 365 * spec.years
    moves = rng.random(n) < 0.08 * spec.years
    old_lsoa = np.where(moves, rng.integers(0, n_lsoa, n), lsoa_idx)
    postcode_new = postcodes[lsoa_idx, rng.integers(0, per_lsoa, n)]
    postcode_old = np.where(moves, postcodes[old_lsoa, rng.integers(0, per_lsoa, n)], postcode_new)
    move_date = np.where(
        moves, year0 + rng.integers(0, days, n).astype("timedelta64[D]"), FAR_FUTURE
    )
    q = np.clip(0.00004 * np.exp(0.092 * age), 0, 0.5) * spec.years
    dies = rng.random(n) < q
    death_date = np.where(
        dies, year0 + rng.integers(0, days, n).astype("timedelta64[D]"), FAR_FUTURE
    )
    ltc = registered.ltc
    ltc_count = np.sum(list(ltc.values()), axis=0).astype(int)
    practice_codes = np.unique(registered.practice)
    # Each practice's reference LSOA: where most of its drawn patients live.
    cells = np.unique(np.c_[np.searchsorted(practice_codes, registered.practice), lsoa_idx],
                      axis=0, return_counts=True)  # fmt: skip
    pairs, counts = cells
    best = np.lexsort((-counts, pairs[:, 0]))
    first = np.r_[True, np.diff(pairs[best, 0]) != 0]
    practice_lsoa = pairs[best][first, 1]
    registered_from = year0 - rng.integers(30, 365 * 20, n).astype("timedelta64[D]")
    registered_from = np.maximum(registered_from, dob)
    pop = Population(
        person_id=np.arange(1, n + 1),
        nhs=synthetic_nhs_numbers(n, rng),
        forename=forename,
        surname=surname,
        sex=sex,
        dob=dob,
        age=age,
        lsoa_idx=lsoa_idx,
        postcode_old=postcode_old,
        postcode_new=postcode_new,
        move_date=move_date,
        death_date=death_date,
        practice=registered.practice,
        ltc_count=ltc_count,
        ltc=ltc,
        registered_from=registered_from,
        deprivation=registered.deprivation,
    )
    twins_and_households(pop, spec.faults, rng)
    pop.practice_lsoa = practice_lsoa  # type: ignore[attr-defined]
    pop.practice_codes = practice_codes  # type: ignore[attr-defined]
    pop.postcode_table = postcodes  # type: ignore[attr-defined]
    return pop


def common_surnames(n: int, rng: np.random.Generator) -> np.ndarray:
    """Surnames from a steep (Zipf-like) distribution: the first in the list (Smith) is
    several times as common as the median, so an agreeing common surname means less."""
    weights = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.6
    return np.array(SURNAMES)[rng.choice(len(SURNAMES), n, p=weights / weights.sum())]


def twins_and_households(pop: Population, faults: FaultRates, rng: np.random.Generator) -> None:
    """In place: some people become the twin of a neighbour in their LSOA (same surname,
    date of birth and addresses, a forename of their own sex), and people sharing a
    postcode often share a surname (a household). Each stays a person of their own."""
    n = len(pop.age)
    if n < 2:
        return
    order = np.argsort(pop.lsoa_idx, kind="stable")
    prev, this = order[:-1], order[1:]
    same_area = pop.lsoa_idx[prev] == pop.lsoa_idx[this]
    twin = same_area & (rng.random(n - 1) < faults.twins)
    twin[1:] &= ~twin[:-1]  # a person is the twin of one other, not a chain
    src, dst = prev[twin], this[twin]
    for name in ("surname", "dob", "age", "postcode_old", "postcode_new", "move_date"):
        getattr(pop, name)[dst] = getattr(pop, name)[src]
    pop.registered_from[dst] = np.maximum(pop.registered_from[dst], pop.dob[dst])
    names = np.where(
        pop.sex[dst] == 1,
        np.array(FORENAMES_M)[rng.integers(0, len(FORENAMES_M), len(dst))],
        np.array(FORENAMES_F)[rng.integers(0, len(FORENAMES_F), len(dst))],
    )
    clash = names == pop.forename[src]
    names[clash] = np.where(pop.sex[dst][clash] == 1, FORENAMES_M[0], FORENAMES_F[0])
    clash = names == pop.forename[src]
    names[clash] = np.where(pop.sex[dst][clash] == 1, FORENAMES_M[1], FORENAMES_F[1])
    pop.forename[dst] = names
    by_address = np.argsort(pop.postcode_new, kind="stable")
    prev, this = by_address[:-1], by_address[1:]
    home = pop.postcode_new[prev] == pop.postcode_new[this]
    home &= rng.random(n - 1) < faults.household
    for i in np.flatnonzero(home):  # in order, so a household of three shares one surname
        pop.surname[this[i]] = pop.surname[prev[i]]


def combine(a: Population, b: Population) -> Population:
    """Residents then visitors, for extracts that see both."""
    return Population(
        person_id=np.r_[a.person_id, b.person_id], nhs=np.r_[a.nhs, b.nhs],
        forename=np.r_[a.forename, b.forename], surname=np.r_[a.surname, b.surname],
        sex=np.r_[a.sex, b.sex], dob=np.r_[a.dob, b.dob], age=np.r_[a.age, b.age],
        lsoa_idx=np.r_[a.lsoa_idx, b.lsoa_idx], postcode_old=np.r_[a.postcode_old, b.postcode_old],
        postcode_new=np.r_[a.postcode_new, b.postcode_new],
        move_date=np.r_[a.move_date, b.move_date], death_date=np.r_[a.death_date, b.death_date],
        practice=np.r_[a.practice, b.practice], ltc_count=np.r_[a.ltc_count, b.ltc_count],
        ltc={}, registered_from=np.r_[a.registered_from, b.registered_from],
    )  # fmt: skip


def visitors_from_outside(
    n: int, spec: SynthSpec, rng: np.random.Generator, exclude: set[str]
) -> Population:
    """People from outside Kent and Medway who attend A&E here (not on the registry)."""
    nhs = np.array([x for x in synthetic_nhs_numbers(n * 2 + 10, rng) if x not in exclude][:n])
    age = rng.integers(0, 90, n)
    sex = np.where(rng.random(n) < 0.5, 1, 2)
    year0 = np.datetime64(f"{spec.start_year}-01-01")
    dob = year0 - (age * 365.25 + rng.integers(1, 365, n)).astype("timedelta64[D]")
    postcode = np.array(OUT_OF_AREA_POSTCODES)[rng.integers(0, 6, n)]
    empty = np.zeros(n, dtype=bool)
    return Population(
        person_id=np.arange(10_000_001, 10_000_001 + n), nhs=nhs,
        forename=np.where(sex == 1, np.array(FORENAMES_M)[rng.integers(0, 40, n)],
                          np.array(FORENAMES_F)[rng.integers(0, 40, n)]),
        surname=np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)], sex=sex, dob=dob,
        age=age, lsoa_idx=np.zeros(n, int), postcode_old=postcode, postcode_new=postcode,
        move_date=np.full(n, FAR_FUTURE), death_date=np.full(n, FAR_FUTURE),
        practice=np.full(n, ""), ltc_count=np.zeros(n, int), ltc={"X": empty},
        registered_from=dob,
    )  # fmt: skip
