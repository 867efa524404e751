"""A synthetic Kent and Medway: provider extracts with identifiers, faults and ground truth.

Everything is vectorised (numpy arrays, pyarrow tables written as CSV) so that the full
population (~1.8M people, ~20M activity records a year) is generated in a few minutes.
People are registered with the real Kent and Medway GP practices in the real numbers by
LSOA, with each practice's QOF prevalence (`stpkit.kid.sources.geography` says what is real
and what is drawn); their long-term conditions and their LSOA's deprivation drive their
activity; they die and move house. Each provider's extract
has its own column names, date formats and code lists (see `stpkit.kid.pipeline.contracts`), and
carries injected faults. The ground truth (the true person behind every record) is written
to a separate directory so linkage quality can be measured.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from stpkit.kid.pipeline import codes
from stpkit.kid.pipeline.contracts import CONTRACTS, Contract
from stpkit.kid.sources.formats import (
    corrupt_nhs,
    date_parts,
    format_dates,
    py_date,
    replace_where,
    typos,
)
from stpkit.kid.sources.geography import DEPRIVATION_ACTIVITY
from stpkit.kid.sources.names import OUT_OF_AREA_POSTCODES
from stpkit.kid.sources.population import (
    FaultRates,
    Population,
    SynthResult,
    SynthSpec,
    combine,
    make_population,
    visitors_from_outside,
)


def _events(
    pop: Population, setting: codes.Setting, spec: SynthSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Who has each event and when: rate by age, long-term conditions and setting."""
    age = pop.age
    age_mult = np.interp(age, setting.age_knots, setting.age_rates)
    rate = setting.base_rate * age_mult * (1 + setting.ltc_effect * pop.ltc_count)
    if pop.deprivation is not None:
        rate = rate * np.exp(DEPRIVATION_ACTIVITY * pop.deprivation)
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


def _nickname_table() -> dict[str, list[str]]:
    """Forename -> its nicknames and variants, from the linkage's shipped table."""
    from stpkit.kid.sources.person_faults import nickname_variants

    return {
        name.title(): [v.title() for v in variants]
        for name, variants in nickname_variants().items()
    }


def _harder_name_faults(
    fore: pa.Array,
    sur: pa.Array,
    dob: np.ndarray,
    f: FaultRates,
    rng: np.random.Generator,
) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Nicknames, forename and surname swapped, and records with several fields wrong at
    once (both names mistyped and the date of birth a few days out): the faults that leave a
    record no exact blocking partner. Returns the mask of several-field records too."""
    n = len(fore)
    nick = rng.random(n) < f.nickname
    if nick.any():
        table = _nickname_table()
        chosen = fore.filter(pa.array(nick)).to_pylist()
        picks = rng.random(len(chosen))
        fore = replace_where(
            fore,
            nick,
            [
                table[x][int(p * len(table[x]))] if x in table else x
                for x, p in zip(chosen, picks, strict=True)
            ],
        )
    several = rng.random(n) < f.several_fields
    if several.any():
        mask = pa.array(several)
        fore = replace_where(fore, several, typos(fore.filter(mask).to_pylist(), rng))
        sur = replace_where(sur, several, typos(sur.filter(mask).to_pylist(), rng))
        shift = rng.integers(1, 10, n) * np.where(rng.random(n) < 0.5, 1, -1)
        dob = np.where(several, dob + shift.astype("timedelta64[D]"), dob)
    swapped = pa.array(rng.random(n) < f.names_swapped)
    fore, sur = pc.if_else(swapped, sur, fore), pc.if_else(swapped, fore, sur)
    return fore, sur, dob, several


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
        visitors._combined = combine(pop, visitors)  # type: ignore[attr-defined]
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
    nhs = replace_where(nhs, invalid, corrupt_nhs(nhs.filter(pa.array(invalid)).to_pylist(), rng))
    nhs = replace_where(nhs, missing, [""] * int(missing.sum()))
    if contract.nhs_spaced:
        spaced = (rng.random(n) < 0.3) & ~missing
        chosen = nhs.filter(pa.array(spaced)).to_pylist()
        nhs = replace_where(nhs, spaced, [f"{x[:3]} {x[3:6]} {x[6:]}" for x in chosen])
    typo = rng.random(n) < f.name_typo
    which = rng.random(n) < 0.5
    fore = people["forename"].take(idx)
    sur = people["surname"].take(idx)
    fmask, smask = typo & which, typo & ~which
    fore = replace_where(fore, fmask, typos(fore.filter(pa.array(fmask)).to_pylist(), rng))
    sur = replace_where(sur, smask, typos(sur.filter(pa.array(smask)).to_pylist(), rng))
    fore, sur, dob, several = _harder_name_faults(fore, sur, everyone.dob[who], f, rng)
    y, m, d = date_parts(dob)
    swap = (rng.random(n) < f.dob_transposed) & (d <= 12) & (d != m)
    dob_text = replace_where(
        format_dates(dob, contract.date_style),
        swap,
        [py_date(int(a), int(c), int(b), contract.date_style) for a, b, c in
         zip(y[swap], m[swap], d[swap], strict=True)],
    )  # fmt: skip
    moved = when >= everyone.move_date[who]
    postcode = pc.if_else(
        pa.array(moved), people["postcode_new"].take(idx), people["postcode_old"].take(idx)
    )
    other = (rng.random(n) < f.other_address) & ~several
    postcode = replace_where(
        postcode,
        other,
        people["postcode_new"].take(pa.array(rng.integers(0, len(everyone.age), int(other.sum())))),
    )
    no_dob = rng.random(n) < f.missing_dob
    dob_text = replace_where(dob_text, no_dob, [""] * int(no_dob.sum()))
    no_postcode = rng.random(n) < f.missing_postcode
    postcode = replace_where(postcode, no_postcode, [""] * int(no_postcode.sum()))
    oop = rng.random(n) < f.postcode_out_of_area
    postcode = replace_where(
        postcode, oop, list(np.array(OUT_OF_AREA_POSTCODES)[rng.integers(0, 6, int(oop.sum()))])
    )
    impossible = rng.random(n) < f.impossible_date
    ay = date_parts(when[impossible])[0]
    bad_month = np.where(rng.random(int(impossible.sum())) < 0.5, 2, 11)
    activity_text = replace_where(
        format_dates(when, contract.date_style),
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
            columns[contract.columns[canonical]] = format_dates(ends, contract.date_style)
            continue
        arr = pa.array(values, pa.string())
        if canonical == setting.coded_field:
            arr = replace_where(arr, unknown, ["ZZ"] * int(unknown.sum()))
        columns[contract.columns[canonical]] = arr
    table = pa.table(columns)
    month = format_dates(when, "iso").cast(pa.string())
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
        pa.array(dead), format_dates(np.where(dead, pop.death_date, end), "iso"), pa.scalar("")
    )
    table = pa.table(
        {
            contract.columns["nhs_number"]: pa.array(pop.nhs),
            contract.columns["forename"]: pa.array(pop.forename),
            contract.columns["surname"]: pa.array(pop.surname),
            contract.columns["date_of_birth"]: format_dates(pop.dob, contract.date_style),
            contract.columns["sex"]: pa.array(np.array(contract.sex_codes)[pop.sex - 1]),
            contract.columns["postcode"]: pa.array(pop.postcode_new),
            contract.columns["practice_code"]: pa.array(pop.practice),
            contract.columns["record_id"]: pc.binary_join_element_wise(
                "REG", pc.cast(pa.array(pop.person_id), pa.string()), ""
            ),
            contract.columns["activity_date"]: format_dates(
                pop.registered_from, contract.date_style
            ),
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
            cond.columns["activity_date"]: format_dates(diag, cond.date_style),
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
    visitors = visitors_from_outside(max(10, spec.people // 200), spec, rng, set(pop.nhs.tolist()))
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
