"""A synthetic Kent and Medway: provider extracts with identifiers, faults and ground truth.

Everything is vectorised (numpy arrays, pyarrow tables written as CSV) so that the full
population (~1.8M people, ~20M activity records a year) is generated in a few minutes.
People live in real Kent and Medway LSOAs (from the reference data), older where stroke
admissions per head are higher; they register with synthetic GP practices (G82xxx), have
long-term conditions that drive their activity, die and move house. Each provider's extract
has its own column names, date formats and code lists (see `stpkit.kid.pipeline.contracts`), and
carries injected faults. The ground truth (the true person behind every record) is written
to a separate directory so linkage quality can be measured.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from scipy.spatial import cKDTree

from stpkit.kid.pipeline import codes
from stpkit.kid.pipeline.contracts import CONTRACTS, Contract

FORENAMES_F = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Sophia",
    "Grace",
    "Freya",
    "Emily",
    "Poppy",
    "Ella",
    "Evie",
    "Charlotte",
    "Florence",
    "Alice",
    "Daisy",
    "Sienna",
    "Margaret",
    "Patricia",
    "Susan",
    "Linda",
    "Barbara",
    "Elizabeth",
    "Jennifer",
    "Maria",
    "Sarah",
    "Karen",
    "Helen",
    "Joan",
    "Dorothy",
    "Jean",
    "Sandra",
    "Pauline",
    "Janet",
    "Christine",
    "Ann",
    "Mary",
]
FORENAMES_M = [
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Muhammad",
    "Leo",
    "Oscar",
    "Harry",
    "Archie",
    "Jack",
    "Henry",
    "Charlie",
    "Freddie",
    "Theodore",
    "Thomas",
    "Alfie",
    "Jacob",
    "William",
    "Isaac",
    "James",
    "David",
    "John",
    "Michael",
    "Robert",
    "Peter",
    "Paul",
    "Mark",
    "Stephen",
    "Andrew",
    "Richard",
    "Christopher",
    "Anthony",
    "Brian",
    "Kevin",
    "Gary",
    "Ian",
    "Graham",
    "Keith",
    "Colin",
    "Derek",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Morden",
    "Cooper",
    "Ward",
    "Bailey",
    "Bell",
    "Baker",
    "Harris",
    "Turner",
    "Martin",
    "Parker",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Peterson",
    "Cooke",
    "Reed",
    "Bennett",
    "Gray",
    "Hughes",
    "Price",
    "Sanders",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Powell",
    "Jenkins",
    "Perry",
    "Russell",
    "Sullivan",
    "Fisher",
    "Henderson",
    "Coleman",
    "Simmons",
    "Patterson",
    "Jordan",
    "Reynolds",
    "Hamilton",
    "Graham",
    "Kim",
    "Gonzales",
    "Wallace",
    "Woods",
    "Cole",
    "West",
    "Owens",
    "Marshall",
    "Harrison",
    "Gibson",
    "Ellis",
    "Hunt",
    "Palmer",
    "Holmes",
    "Mills",
    "Webb",
    "Lloyd",
    "Knight",
    "Dixon",
    "Barnes",
    "Chapman",
    "Fox",
    "Hart",
    "Kelly",
    "Pearce",
    "Stevens",
    "Ashby",
    "Whitstable",
    "Faversham",
    "Oakley",
    "Hawkins",
    "Lambert",
    "Nash",
    "Payne",
    "Rowe",
    "Shaw",
    "Hayes",
    "Doyle",
    "Singh",
    "Ahmed",
    "Begum",
    "Ali",
    "Hussain",
    "Kaur",
    "Gill",
    "Sharma",
    "Nowak",
    "Kowalski",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Silva",
    "Santos",
]

# Postcode areas by local authority (the first word(s) of the LSOA name).
POSTCODE_AREA = {
    "Ashford": ("TN", 23, 27), "Canterbury": ("CT", 1, 6), "Dartford": ("DA", 1, 2),
    "Dover": ("CT", 15, 17), "Gravesham": ("DA", 11, 13), "Maidstone": ("ME", 14, 17),
    "Medway": ("ME", 1, 8), "Sevenoaks": ("TN", 13, 15), "Shepway": ("CT", 18, 21),
    "Swale": ("ME", 9, 13), "Thanet": ("CT", 7, 12), "Tonbridge and Malling": ("ME", 18, 20),
    "Tunbridge Wells": ("TN", 1, 4),
}  # fmt: skip
OUT_OF_AREA_POSTCODES = ["SE1 7EH", "SW1A 1AA", "BN1 1AA", "RH10 1AA", "CR0 2AA", "BR1 1AA"]
UNIT_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))


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


def _ages(n: int, old_bias: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """England-like age structure, with more older people where `old_bias` is higher."""
    bands = np.arange(0, 100)
    weights = np.where(bands < 20, 1.15, np.where(bands < 65, 1.25, 1.0))
    weights = weights * np.where(bands >= 65, np.exp(-(bands - 65) / 12.0), 1.0)
    weights = weights / weights.sum()
    age = rng.choice(bands, size=n, p=weights)
    redraw = rng.random(n) < np.clip(0.12 * (old_bias - 1.0), 0, 0.35)
    age[redraw] = 65 + np.minimum(rng.exponential(10, redraw.sum()).astype(int), 34)
    return age


def make_population(spec: SynthSpec, lsoas: pa.Table, rng: np.random.Generator) -> Population:
    n = spec.people
    n_lsoa = lsoas.num_rows
    admissions = np.asarray(lsoas["admissions"].to_numpy(), dtype=float)
    weight = rng.gamma(20, 1, n_lsoa)
    lsoa_idx = rng.choice(n_lsoa, size=n, p=weight / weight.sum())
    per_head = admissions / np.maximum(np.bincount(lsoa_idx, minlength=n_lsoa), 1)
    old_bias = per_head / max(per_head[per_head > 0].mean(), 1e-9)
    age = _ages(n, old_bias[lsoa_idx], rng)
    sex = np.where(rng.random(n) < 0.49, 1, 2)
    year0 = np.datetime64(f"{spec.start_year}-01-01")
    dob = year0 - (age * 365.25 + rng.integers(1, 365, n)).astype("timedelta64[D]")
    forename = np.where(
        sex == 1,
        np.array(FORENAMES_M)[rng.integers(0, len(FORENAMES_M), n)],
        np.array(FORENAMES_F)[rng.integers(0, len(FORENAMES_F), n)],
    )
    surname = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    per_lsoa = max(8, min(40, n // n_lsoa // 8 + 8))
    postcodes = _lsoa_postcodes(list(lsoas["lsoa_name"].to_pylist()), rng, per_lsoa)
    postcode_old = postcodes[lsoa_idx, rng.integers(0, per_lsoa, n)]
    days = 365 * spec.years
    moves = rng.random(n) < 0.08 * spec.years
    new_lsoa = np.where(moves, rng.integers(0, n_lsoa, n), lsoa_idx)
    postcode_new = np.where(moves, postcodes[new_lsoa, rng.integers(0, per_lsoa, n)], postcode_old)
    move_date = np.where(
        moves, year0 + rng.integers(0, days, n).astype("timedelta64[D]"), FAR_FUTURE
    )
    q = np.clip(0.00004 * np.exp(0.092 * age), 0, 0.5) * spec.years
    dies = rng.random(n) < q
    death_date = np.where(
        dies, year0 + rng.integers(0, days, n).astype("timedelta64[D]"), FAR_FUTURE
    )
    ltc: dict[str, np.ndarray] = {}
    for code, (base, slope) in codes.CONDITION_PREVALENCE.items():
        p = np.clip(base * np.exp(slope * (age - 50)), 0, 0.85)
        ltc[code] = rng.random(n) < p
    ltc_count = np.sum(list(ltc.values()), axis=0).astype(int)
    east = np.asarray(lsoas["easting"].to_numpy(), dtype=float)
    north = np.asarray(lsoas["northing"].to_numpy(), dtype=float)
    n_practices = max(5, min(999, n // 8000))
    practice_lsoa = rng.choice(n_lsoa, size=n_practices, replace=n_practices > n_lsoa)
    tree = cKDTree(np.c_[east[practice_lsoa], north[practice_lsoa]])
    k = min(3, n_practices)
    _, near = tree.query(np.c_[east[new_lsoa], north[new_lsoa]], k=k)
    pick = near[np.arange(n), rng.integers(0, k, n)] if k > 1 else near
    practice_codes = np.array([f"G82{i + 1:03d}" for i in range(n_practices)])
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
        lsoa_idx=new_lsoa,
        postcode_old=postcode_old,
        postcode_new=postcode_new,
        move_date=move_date,
        death_date=death_date,
        practice=practice_codes[pick],
        ltc_count=ltc_count,
        ltc=ltc,
        registered_from=registered_from,
    )
    pop.practice_lsoa = practice_lsoa  # type: ignore[attr-defined]
    pop.practice_codes = practice_codes  # type: ignore[attr-defined]
    pop.postcode_table = postcodes  # type: ignore[attr-defined]
    return pop


# -- date formatting from integer parts (so impossible dates can be written too) ----------


def _parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = dates.astype("datetime64[Y]").astype(int) + 1970
    m = dates.astype("datetime64[M]").astype(int) % 12 + 1
    d = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    return y, m, d


MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
STRFTIME = {
    "iso": "%Y-%m-%d",
    "dmy_slash": "%d/%m/%Y",
    "dmy_dash": "%d-%m-%Y",
    "ymd_compact": "%Y%m%d",
    "d_mon_y": "%d %b %Y",
}


def py_date(y: int, m: int, d: int, style: str) -> str:
    """One date in a provider's style from its parts (impossible dates included)."""
    if style == "iso":
        return f"{y:04d}-{m:02d}-{d:02d}"
    if style == "dmy_slash":
        return f"{d:02d}/{m:02d}/{y:04d}"
    if style == "dmy_dash":
        return f"{d:02d}-{m:02d}-{y:04d}"
    if style == "ymd_compact":
        return f"{y:04d}{m:02d}{d:02d}"
    if style == "d_mon_y":
        return f"{d:02d} {MONTH_ABBR[m - 1]} {y:04d}"
    raise ValueError(style)


def _fmt(dates: np.ndarray, style: str) -> pa.Array:
    """Valid dates in a provider's style: each distinct day formatted once, then taken."""
    if len(dates) == 0:
        return pa.array([], pa.string())
    days = dates.astype("datetime64[D]").astype(np.int64)
    low, high = int(days.min()), int(days.max())
    every_day = np.arange(low, high + 1).astype("datetime64[D]").astype("datetime64[s]")
    labels = pc.strftime(pa.array(every_day), format=STRFTIME[style], locale="C")
    out: pa.Array = labels.take(pa.array(days - low))
    return out


def _replace(values: pa.Array, mask: np.ndarray, replacements: list[str]) -> pa.Array:
    if not mask.any():
        return values
    out: pa.Array = pc.replace_with_mask(
        values, pa.array(mask), pa.array(replacements, pa.string())
    )
    return out


def _typo(names: list[str], rng: np.random.Generator) -> list[str]:
    out = []
    for s in names:
        if len(s) < 3:
            out.append(s)
            continue
        j = int(rng.integers(1, len(s) - 1))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            s = s[:j] + s[j + 1 :]
        elif kind == 1:
            s = s[: j - 1] + s[j] + s[j - 1] + s[j + 1 :]
        else:
            s = s[:j] + "aeiou"[int(rng.integers(0, 5))] + s[j + 1 :]
        out.append(s)
    return out


def _corrupt_nhs(nhs: list[str], rng: np.random.Generator) -> list[str]:
    """Change one digit: modulus 11 always detects it."""
    out = []
    for s in nhs:
        j = int(rng.integers(0, 10))
        d = (int(s[j]) + int(rng.integers(1, 10))) % 10
        out.append(s[:j] + str(d) + s[j + 1 :])
    return out


def _events(
    pop: Population, setting: codes.Setting, spec: SynthSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Who has each event and when: rate by age, long-term conditions and setting."""
    age = pop.age
    age_mult = np.interp(age, setting.age_knots, setting.age_rates)
    rate = setting.base_rate * age_mult * (1 + setting.ltc_effect * pop.ltc_count)
    if setting.condition_focus:
        focus = np.zeros(len(age), dtype=bool)
        for c in setting.condition_focus:
            focus |= pop.ltc[c]
        rate = rate * np.where(focus, setting.focus_multiplier, 1.0)
    counts = rng.poisson(rate * spec.years)
    who = np.repeat(np.arange(len(age)), counts)
    year0 = np.datetime64(f"{spec.start_year}-01-01")
    when = year0 + rng.integers(0, 365 * spec.years, len(who)).astype("timedelta64[D]")
    alive = when < pop.death_date[who]
    return who[alive], when[alive]


def _people_arrays(pop: Population) -> dict[str, pa.Array]:
    cached: dict[str, pa.Array] | None = getattr(pop, "_arrays", None)
    if cached is not None:
        return cached
    arrays = {
        "nhs": pa.array(pop.nhs, pa.string()),
        "forename": pa.array(pop.forename, pa.string()),
        "surname": pa.array(pop.surname, pa.string()),
        "postcode_old": pa.array(pop.postcode_old, pa.string()),
        "postcode_new": pa.array(pop.postcode_new, pa.string()),
    }
    pop._arrays = arrays  # type: ignore[attr-defined]
    return arrays


def make_extract(
    pop: Population,
    contract: Contract,
    spec: SynthSpec,
    rng: np.random.Generator,
    visitors: Population | None = None,
) -> tuple[pa.Table, pa.Table]:
    """One provider's extract (all months) and its ground truth (record id -> person id)."""
    setting = codes.SETTINGS[contract.setting or ""]
    who, when = _events(pop, setting, spec, rng)
    everyone = pop
    if visitors is not None and getattr(visitors, "_combined", None) is None:
        visitors._combined = _combine(pop, visitors)  # type: ignore[attr-defined]
    if visitors is not None and setting.name == "ae":
        everyone = visitors._combined  # type: ignore[attr-defined]
        vw = len(pop.age) + rng.integers(0, len(visitors.age), max(1, len(who) // 100))
        vwhen = np.datetime64(f"{spec.start_year}-01-01") + rng.integers(
            0, 365 * spec.years, len(vw)
        ).astype("timedelta64[D]")
        who, when = np.r_[who, vw], np.r_[when, vwhen]
    order = np.argsort(when, kind="stable")
    who, when = who[order], when[order]
    people = _people_arrays(everyone)
    idx = pa.array(who)
    n = len(when)
    f = spec.faults
    r = rng.random(n)
    missing_rate = f.missing_nhs_social_care if setting.name == "social_care" else f.missing_nhs
    missing = r < missing_rate
    invalid = (r >= missing_rate) & (r < missing_rate + f.invalid_nhs)
    nhs = people["nhs"].take(idx)
    nhs = _replace(nhs, invalid, _corrupt_nhs(nhs.filter(pa.array(invalid)).to_pylist(), rng))
    nhs = _replace(nhs, missing, [""] * int(missing.sum()))
    if contract.nhs_spaced:
        spaced = (rng.random(n) < 0.3) & ~missing
        chosen = nhs.filter(pa.array(spaced)).to_pylist()
        nhs = _replace(nhs, spaced, [f"{x[:3]} {x[3:6]} {x[6:]}" for x in chosen])
    typo = rng.random(n) < f.name_typo
    which = rng.random(n) < 0.5
    fore = people["forename"].take(idx)
    sur = people["surname"].take(idx)
    fmask, smask = typo & which, typo & ~which
    fore = _replace(fore, fmask, _typo(fore.filter(pa.array(fmask)).to_pylist(), rng))
    sur = _replace(sur, smask, _typo(sur.filter(pa.array(smask)).to_pylist(), rng))
    dob = everyone.dob[who]
    y, m, d = _parts(dob)
    swap = (rng.random(n) < f.dob_transposed) & (d <= 12) & (d != m)
    dob_text = _replace(
        _fmt(dob, contract.date_style),
        swap,
        [py_date(int(a), int(c), int(b), contract.date_style) for a, b, c in
         zip(y[swap], m[swap], d[swap], strict=True)],
    )  # fmt: skip
    moved = when >= everyone.move_date[who]
    postcode = pc.if_else(
        pa.array(moved), people["postcode_new"].take(idx), people["postcode_old"].take(idx)
    )
    oop = rng.random(n) < f.postcode_out_of_area
    postcode = _replace(
        postcode, oop, list(np.array(OUT_OF_AREA_POSTCODES)[rng.integers(0, 6, int(oop.sum()))])
    )
    impossible = rng.random(n) < f.impossible_date
    ay = _parts(when[impossible])[0]
    bad_month = np.where(rng.random(int(impossible.sum())) < 0.5, 2, 11)
    activity_text = _replace(
        _fmt(when, contract.date_style),
        impossible,
        [py_date(int(a), int(b), 31, contract.date_style) for a, b in
         zip(ay, bad_month, strict=True)],
    )  # fmt: skip
    record_ids = pc.binary_join_element_wise(
        pa.scalar(contract.id_prefix),
        pc.cast(pa.array(np.arange(1, n + 1)), pa.string()),
        "",
    )
    sex_codes = pa.DictionaryArray.from_arrays(
        pa.array(everyone.sex[who] - 1, pa.int8()), pa.array(list(contract.sex_codes))
    ).cast(pa.string())
    columns: dict[str, pa.Array] = {
        contract.columns["nhs_number"]: nhs,
        contract.columns["forename"]: fore,
        contract.columns["surname"]: sur,
        contract.columns["date_of_birth"]: dob_text,
        contract.columns["sex"]: sex_codes,
        contract.columns["postcode"]: postcode,
        contract.columns["record_id"]: record_ids,
        contract.columns["activity_date"]: activity_text,
    }
    extra = setting.make_fields(when, pop, rng, n)
    unknown = rng.random(n) < f.unknown_code
    for canonical, values in extra.items():
        if canonical == "end_date":
            bad_end = rng.random(n) < f.impossible_date
            ends = np.where(bad_end, when - np.timedelta64(3, "D"), values)
            columns[contract.columns[canonical]] = _fmt(ends, contract.date_style)
            continue
        arr = pa.array(values, pa.string())
        if canonical == setting.coded_field:
            arr = _replace(arr, unknown, ["ZZ"] * int(unknown.sum()))
        columns[contract.columns[canonical]] = arr
    table = pa.table(columns)
    month = _fmt(when, "iso").cast(pa.string())
    month = pc.utf8_slice_codeunits(month, 0, 7)
    truth = pa.table(
        {
            "provider": pa.repeat(pa.scalar(contract.name), n),
            "record_id": record_ids,
            "person_id": pa.array(everyone.person_id[who]),
        }
    )
    dup = np.flatnonzero(rng.random(n) < f.duplicate)
    if len(dup):
        table = pa.concat_tables([table, table.take(pa.array(dup))])
        month = pa.concat_arrays([month, month.take(pa.array(dup))])
    return table.append_column("__month", month), truth


def _combine(a: Population, b: Population) -> Population:
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


def _write_monthly(table: pa.Table, folder: Path, encoding_note: str = "") -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    months = pc.unique(table["__month"]).to_pylist()
    counts: dict[str, int] = {}
    for month in sorted(months):
        part = table.filter(pc.equal(table["__month"], month)).drop_columns(["__month"])
        pacsv.write_csv(part, folder / f"{month}.csv")
        counts[month] = part.num_rows
    return counts


def write_registry(pop: Population, out: Path, spec: SynthSpec) -> None:
    """The registered population (the hub) and GP condition registers, at the year's end."""
    contract = CONTRACTS["registry"]
    end = np.datetime64(f"{spec.start_year + spec.years - 1}-12-31")
    dead = pop.death_date <= end
    death_text = pc.if_else(
        pa.array(dead), _fmt(np.where(dead, pop.death_date, end), "iso"), pa.scalar("")
    )
    table = pa.table(
        {
            contract.columns["nhs_number"]: pa.array(pop.nhs),
            contract.columns["forename"]: pa.array(pop.forename),
            contract.columns["surname"]: pa.array(pop.surname),
            contract.columns["date_of_birth"]: _fmt(pop.dob, contract.date_style),
            contract.columns["sex"]: pa.array(np.array(contract.sex_codes)[pop.sex - 1]),
            contract.columns["postcode"]: pa.array(pop.postcode_new),
            contract.columns["practice_code"]: pa.array(pop.practice),
            contract.columns["record_id"]: pc.binary_join_element_wise(
                "REG", pc.cast(pa.array(pop.person_id), pa.string()), ""
            ),
            contract.columns["activity_date"]: _fmt(pop.registered_from, contract.date_style),
            contract.columns["date_of_death"]: death_text,
        }
    )
    folder = out / contract.folder
    folder.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, folder / f"{spec.start_year + spec.years - 1}-12.csv")
    cond = CONTRACTS["gp_conditions"]
    who_list, code_list = [], []
    for code, has in pop.ltc.items():
        idx = np.flatnonzero(has)
        who_list.append(idx)
        code_list.append(np.full(len(idx), code))
    who = np.concatenate(who_list)
    code_arr = np.concatenate(code_list)
    rng = np.random.default_rng(spec.seed + 7)
    diag = pop.dob[who] + (
        (pop.age[who] * 365.25 * (0.5 + 0.5 * rng.random(len(who)))).astype("timedelta64[D]")
    )
    ctable = pa.table(
        {
            cond.columns["nhs_number"]: pa.array(pop.nhs[who]),
            cond.columns["record_id"]: pc.binary_join_element_wise(
                "LTC", pc.cast(pa.array(np.arange(1, len(who) + 1)), pa.string()), ""
            ),
            cond.columns["condition"]: pa.array(code_arr),
            cond.columns["activity_date"]: _fmt(diag, cond.date_style),
        }
    )
    cfolder = out / cond.folder
    cfolder.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(ctable, cfolder / f"{spec.start_year + spec.years - 1}-12.csv")


def write_reference(pop: Population, lsoas: pa.Table, out: Path) -> None:
    """The postcode -> LSOA lookup (like ONS NSPL) and unit costs by setting and code."""
    folder = out / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    table = pop.postcode_table  # type: ignore[attr-defined]
    codes_arr = np.asarray(lsoas["lsoa_code"].to_pylist())
    lookup = pa.table(
        {
            "postcode": pa.array(table.ravel().astype(str)),
            "lsoa_code": pa.array(np.repeat(codes_arr, table.shape[1])),
        }
    )
    pacsv.write_csv(lookup, folder / "postcodes.csv")
    practices = pop.practice_codes  # type: ignore[attr-defined]
    practice_lsoa = pop.practice_lsoa  # type: ignore[attr-defined]
    pr = pa.table(
        {
            "practice_code": pa.array(practices),
            "lsoa_code": pa.array(codes_arr[practice_lsoa[: len(practices)]]),
        }
    )
    pacsv.write_csv(pr, folder / "practices.csv")
    rows = [(s, c, cost) for (s, c), cost in codes.UNIT_COSTS.items()]
    pacsv.write_csv(
        pa.table(
            {
                "setting": [r[0] for r in rows],
                "code": [r[1] for r in rows],
                "unit_cost_gbp": [float(r[2]) for r in rows],
            }
        ),
        folder / "unit_costs.csv",
    )


def _visitors(n: int, spec: SynthSpec, rng: np.random.Generator, exclude: set[str]) -> Population:
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


def synthesise(
    spec: SynthSpec,
    out: Path,
    truth_out: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """Write every provider's monthly extracts to `out` and the ground truth to `truth_out`."""
    from stpkit.reference import get_reference

    say = progress or (lambda _msg: None)
    truth_dir = truth_out or out.parent / f"{out.name}-truth"
    rng = np.random.default_rng(spec.seed)
    lsoas = pa.Table.from_pandas(get_reference().lsoas("Kent and Medway"), preserve_index=False)
    say("population")
    pop = make_population(spec, lsoas, rng)
    visitors = _visitors(max(10, spec.people // 200), spec, rng, set(pop.nhs.tolist()))
    out.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    write_registry(pop, out, spec)
    write_reference(pop, lsoas, out)
    records: dict[str, int] = {}
    truths = []
    for contract in CONTRACTS.values():
        if contract.setting is None:
            continue
        say(contract.name)
        table, truth = make_extract(pop, contract, spec, rng, visitors)
        counts = _write_monthly(table, out / contract.folder)
        records[contract.name] = sum(counts.values())
        truths.append(truth)
    pq.write_table(pa.concat_tables(truths), truth_dir / "records.parquet")
    people = pa.table(
        {
            "person_id": np.r_[pop.person_id, visitors.person_id],
            "nhs_number": np.r_[pop.nhs, visitors.nhs],
            "forename": np.r_[pop.forename, visitors.forename],
            "surname": np.r_[pop.surname, visitors.surname],
            "date_of_birth": np.r_[pop.dob, visitors.dob],
            "postcode_old": np.r_[pop.postcode_old, visitors.postcode_old],
            "postcode_new": np.r_[pop.postcode_new, visitors.postcode_new],
            "registered": np.r_[np.ones(len(pop.age), bool), np.zeros(len(visitors.age), bool)],
        }
    )
    pq.write_table(people, truth_dir / "people.parquet")
    return SynthResult(out, truth_dir, spec.people, records)
