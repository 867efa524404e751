"""A small pseudonymised-zone sample (person, activity, condition) on real Kent and Medway LSOAs.

The analytics (costing, segmentation, queries, projection, tiers) read three tables through
`stpkit.kid.pipeline.insight_store`. Part 1's pipeline builds the real store from provider extracts;
this module writes tables of the same shape directly, for tests and for a demo when the
pipeline's store is absent. It holds no identifiers: tokens are random hex. Its practices
are invented (`SampleSpec.practices`, fast for tests); the pipeline's generator
(`stpkit.kid.sources.geography`) uses the real ones. Activity rises with the LSOA's
deprivation as there (`DEPRIVATION_ACTIVITY`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from stpkit.kid.analyses.segment import YEAR_OF_CARE_CONDITIONS
from stpkit.kid.sources.geography import DEPRIVATION_ACTIVITY
from stpkit.reference import get_reference

# setting -> (events a person a year at age 40, growth of the rate per year of age,
#             extra rate per long-term condition, mean unit cost GBP)
SETTING_RATES: dict[str, tuple[float, float, float, float]] = {
    "gp": (3.0, 0.015, 0.35, 39.0),
    "ae": (0.28, 0.008, 0.20, 166.0),
    "op": (1.1, 0.015, 0.30, 142.0),
    "apc_elective": (0.07, 0.025, 0.25, 3_600.0),
    "apc_emergency": (0.06, 0.035, 0.45, 2_700.0),
    "community": (0.5, 0.040, 0.40, 62.0),
    "mental_health": (0.15, 0.000, 0.20, 210.0),
    "social_care": (0.01, 0.080, 0.50, 650.0),
}


@dataclass(frozen=True)
class SampleSpec:
    people: int = 20_000
    practices: int = 40
    years: tuple[int, ...] = (2023, 2024)
    seed: int = 7
    region: str = "Kent and Medway"


def _ages(n: int, rng: np.random.Generator) -> np.ndarray:
    # A UK-like pyramid: flat to 60, then falling.
    ages = np.arange(0, 101)
    weight = np.where(ages < 60, 1.0, np.exp(-(ages - 60) / 14.0))
    return rng.choice(ages, size=n, p=weight / weight.sum())


def _imd_z(lsoa_codes: np.ndarray) -> np.ndarray:
    """Each LSOA's IMD 2019 score in standard deviations from the mean (0 where unknown)."""
    from stpkit.reference import public

    score = public.imd(list(lsoa_codes)).set_index("lsoa_code").imd_score.reindex(lsoa_codes)
    z = (score - score.mean()) / (score.std() or 1.0)
    return z.fillna(0.0).to_numpy(dtype=float)


def _length_of_stay(setting: str, age: np.ndarray, seed: int, year: int) -> pd.Series:
    """Days from admission to discharge of admitted spells (NULL for other settings).

    Elective spells are mostly day cases or short; emergency spells have a long tail that
    lengthens with age (about one in twenty of the over-75s stays 21 days or more). A random
    stream of its own, so adding stays left every other drawn value as it was."""
    n = len(age)
    if not setting.startswith("apc"):
        return pd.Series(pd.array([None] * n, dtype="Int32"))
    rng = np.random.default_rng([seed, year, len(setting)])
    if setting == "apc_elective":
        days = np.where(rng.random(n) < 0.7, 0, rng.geometric(0.35, n))
    else:
        mean = 4.0 + 6.0 * np.clip((age - 40) / 45.0, 0.0, 1.0)
        days = rng.geometric(1.0 / (1.0 + mean))
    return pd.Series(pd.array(days, dtype="Int32"))


def make_sample(spec: SampleSpec) -> dict[str, pd.DataFrame]:
    """Person, activity and condition tables for `spec.people` synthetic people."""
    rng = np.random.default_rng(spec.seed)
    lsoas = get_reference().lsoas(spec.region).reset_index(drop=True)
    n = spec.people
    # Older people where stroke admissions per head are higher, as in part 1's generator.
    old_bias = (lsoas.admissions / lsoas.admissions.mean()).to_numpy()
    lsoa_idx = rng.integers(0, len(lsoas), n)
    age = _ages(n, rng)
    age = np.where(
        rng.random(n) < 0.15 * old_bias[lsoa_idx].clip(0, 3),
        np.maximum(age, rng.integers(55, 95, n)),
        age,
    )
    sex = np.where(rng.random(n) < 0.51, "F", "M")
    ref_year = spec.years[-1]
    birth_month = rng.integers(1, 13, n)
    birth_ym = [f"{ref_year - a:04d}-{m:02d}" for a, m in zip(age, birth_month, strict=True)]
    # Practices at LSOA centroids; people register with the nearest of three close ones.
    sites = rng.choice(len(lsoas), spec.practices, replace=False)
    px = lsoas.easting.to_numpy()[sites]
    py = lsoas.northing.to_numpy()[sites]
    # Distances by LSOA (1,065 rows), not by person: at 1.8M people a person-by-practice
    # matrix took gigabytes; everyone in an LSOA shares its centroid, so the same answer.
    lx = lsoas.easting.to_numpy()[:, None]
    ly = lsoas.northing.to_numpy()[:, None]
    dist = np.hypot(lx - px[None, :], ly - py[None, :])
    nearest3 = np.argsort(dist, axis=1)[:, :3][lsoa_idx]
    pick = nearest3[np.arange(n), rng.choice(3, n, p=[0.75, 0.18, 0.07])]
    practice_codes = np.array([f"G8{i:04d}" for i in range(spec.practices)])
    tokens = np.array([f"{v:032x}" for v in rng.integers(0, 2**63, n)])
    tokens = np.char.add(tokens, np.array([f"{i:08x}" for i in range(n)]))
    # Deaths: a Gompertz annual risk by age, in some year of the sample (month at random).
    death_year = np.full(n, 9999)
    for year in spec.years:
        age_then = age - (ref_year - year)
        risk = np.clip(2e-5 * np.exp(0.095 * age_then), 0, 0.5) * (age_then >= 0)
        dies = (death_year == 9999) & (rng.random(n) < risk)
        death_year[dies] = year
    death_month = [
        None if y == 9999 else f"{y:04d}-{m:02d}"
        for y, m in zip(death_year, rng.integers(1, 13, n), strict=True)
    ]
    person = pd.DataFrame(
        {
            "person_token": tokens,
            "birth_ym": birth_ym,
            "sex": sex,
            "lsoa_code": lsoas.lsoa_code.to_numpy()[lsoa_idx],
            "practice_code": practice_codes[pick],
            "death_month": pd.Series(death_month, dtype="string"),
        }
    )
    # Long-term conditions: prevalence rises with age.
    cond_rows: list[tuple[str, str]] = []
    for i, cond in enumerate(YEAR_OF_CARE_CONDITIONS):
        base = 0.01 + 0.004 * (i % 5)
        p = np.clip(base * np.exp((age - 45) / 18.0), 0, 0.6)
        who = np.nonzero(rng.random(n) < p)[0]
        cond_rows.extend((tokens[w], cond) for w in who)
    condition = pd.DataFrame(cond_rows, columns=["person_token", "condition"])
    ltc = condition.groupby("person_token").size().reindex(tokens, fill_value=0).to_numpy()
    deprived = np.exp(DEPRIVATION_ACTIVITY * _imd_z(lsoas.lsoa_code.to_numpy())[lsoa_idx])
    frames = []
    providers = {s: [f"R{s[:2].upper()}{k}" for k in range(3)] for s in SETTING_RATES}
    providers["apc_elective"] = providers["apc_emergency"] = ["RVV", "RWF", "RPA"]
    for year in spec.years:
        age_then = age - (ref_year - year)
        alive = (age_then >= 0) & (death_year >= year)
        for setting, (rate40, growth, per_ltc, cost) in SETTING_RATES.items():
            lam = rate40 * np.exp(growth * (age_then - 40)) * (1 + per_ltc * ltc) * alive
            lam = lam * deprived
            if setting == "social_care":
                lam = lam * (age_then >= 18)
            counts = rng.poisson(lam)
            who = np.repeat(np.arange(n), counts)
            if len(who) == 0:
                continue
            day = rng.integers(0, 365, len(who))
            stay = _length_of_stay(setting, age_then[who], spec.seed, year)
            frames.append(
                pd.DataFrame(
                    {
                        "person_token": tokens[who],
                        "setting": setting.split("_")[0] if setting.startswith("apc") else setting,
                        "activity_date": pd.to_datetime(date(year, 1, 1))
                        + pd.to_timedelta(day, unit="D"),
                        "provider": rng.choice(providers[setting], len(who)),
                        "currency": f"{setting.upper()}-STD",
                        "emergency": setting in {"ae", "apc_emergency"},
                        "cost": np.round(cost * rng.gamma(4.0, 0.25, len(who)), 2),
                        "length_of_stay": stay,
                    }
                )
            )
    activity = pd.concat(frames, ignore_index=True)
    return {"person": person, "activity": activity, "condition": condition}


def write_sample(out: Path, spec: SampleSpec = SampleSpec()) -> Path:
    """Write the sample as Parquet files (person, activity, condition) under `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = make_sample(spec)
    for name, frame in tables.items():
        tmp = out / f".{name}.parquet.tmp"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
        tmp.replace(out / f"{name}.parquet")
    (out / "SAMPLE").write_text(f"people={spec.people} seed={spec.seed} years={list(spec.years)}\n")
    return out
