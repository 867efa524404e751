"""The synthetic population on real Kent and Medway geography: registrations, ages, conditions.

**What is real** (vendored in `stpkit.reference.public`, Open Government Licence):

- the practices: the 192 GP practices with at least half of their registered patients
  resident in Kent and Medway LSOAs (`KENT_MEDWAY_SHARE`);
- how many patients each practice has from each Kent and Medway LSOA (NHS Digital, Patients
  Registered at a GP Practice, July 2022): 1,960,615 people in all (`registered_total`);
  patients of these practices living outside Kent and Medway are not synthesised;
- each practice's QOF 2021-22 prevalence of the 13 registers the store records
  (`QOF_TO_CONDITION`), as a share of list size; a practice without QOF figures gets the
  list-weighted mean of the others;
- each LSOA's population by broad age (0-15, 16-59, 60 and over; the IMD 2019 population
  denominators) and its IMD 2019 score.

**What is drawn**:

- who: at `people` below the real total, each practice gets `round(list x fraction)`
  people (largest remainder, so the total is exactly `people`) spread over its LSOAs the
  same way; at the real total every (practice, LSOA) count is the real count;
- age: a broad band from the LSOA's denominators, then a single year inside it (flat to
  59, falling after 60); sex: female share rising with age (49% under 60, 53% at 60-79,
  62% at 80 and over);
- conditions: for each practice and register exactly `round(prevalence x list)` people
  have the condition, chosen by weighted sampling without replacement within the practice;
  the weight rises with age (each register's slope in
  `stpkit.kid.pipeline.codes.CONDITION_PREVALENCE`), with the LSOA's deprivation (IMD
  score) and with a frailty shared by all of a person's registers (so conditions cluster
  into multimorbidity as they do in life). Practice prevalence is therefore the real
  figure to within half a person; who within the practice has what is invented;
- activity (`stpkit.kid.sources.synth`): each setting's rate by age and conditions, times
  exp(`DEPRIVATION_ACTIVITY` x the LSOA's IMD score in standard deviations), so more
  deprived places use more care at the same age and conditions (an assumption, not data).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from stpkit.kid.pipeline import codes

KENT_MEDWAY_SHARE = 0.5
QOF_TO_CONDITION: dict[str, str] = {
    "hyp": "HYP", "dm": "DM", "copd": "COPD", "ast": "AST", "chd": "CHD", "hf": "HF",
    "af": "AF", "stia": "STIA", "ckd": "CKD", "dem": "DEM", "dep": "DEP", "can": "CAN",
    "mh": "SMI",
}  # fmt: skip
# How strongly condition weights rise with the LSOA's deprivation (per standard deviation of
# the IMD score) and with a person's shared frailty (log-normal sd).
DEPRIVATION_EFFECT = 0.25
FRAILTY_SD = 0.6
# How much more activity per standard deviation of the LSOA's IMD score (log scale).
DEPRIVATION_ACTIVITY = 0.15


@dataclass(frozen=True)
class RealGeography:
    """The real files, cut to Kent and Medway (`cells`: practice_code, lsoa_code, patients)."""

    cells: pd.DataFrame
    prevalence: pd.DataFrame  # index practice_code, one column a pipeline condition code
    lsoa: pd.DataFrame  # lsoa_code, imd_score, share_0_15, share_16_59, share_60_plus

    @property
    def registered_total(self) -> int:
        return int(self.cells.patients.sum())

    def list_sizes(self) -> pd.Series:
        return self.cells.groupby("practice_code").patients.sum()


@lru_cache(maxsize=4)
def real_geography(region: str = "Kent and Medway") -> RealGeography:
    """Registrations, QOF prevalence and LSOA denominators for `region`'s practices."""
    import duckdb

    from stpkit.reference import get_reference, public

    codes_ = get_reference().lsoas(region).lsoa_code.astype(str).tolist()
    with duckdb.connect() as con:
        cells = con.execute(
            """WITH reg AS (SELECT practice_code, lsoa_code, patients,
                       lsoa_code IN (SELECT unnest(?::VARCHAR[])) AS inside
                   FROM read_parquet(?)),
               keep AS (SELECT practice_code FROM reg GROUP BY 1
                   HAVING sum(patients) FILTER (WHERE inside) >= ? * sum(patients))
               SELECT practice_code, lsoa_code, CAST(patients AS BIGINT) AS patients
               FROM reg WHERE inside AND patients > 0
                 AND practice_code IN (SELECT practice_code FROM keep)
               ORDER BY practice_code, lsoa_code""",
            [codes_, str(public.path("registrations")), KENT_MEDWAY_SHARE],
        ).df()
    cells = cells.astype({"practice_code": str, "lsoa_code": str})
    keep = cells.practice_code.unique().tolist()
    qof = public.qof_prevalence(list(keep)).set_index("practice_code")
    prev = qof[list(QOF_TO_CONDITION)].rename(columns=QOF_TO_CONDITION).astype(float)
    lists = cells.groupby("practice_code").patients.sum()
    prev = prev.reindex(lists.index)
    known = prev.notna().all(axis=1)
    fill = (prev[known].mul(lists[known], axis=0)).sum() / lists[known].sum()
    prev = prev.fillna(fill)
    imd = public.imd(codes_)
    pop = imd[["population_0_15", "population_16_59", "population_60_plus"]].astype(float)
    shares = pop.div(pop.sum(axis=1).where(lambda s: s > 0, 1.0), axis=0)
    lsoa = pd.DataFrame(
        {
            "lsoa_code": imd.lsoa_code.astype(str),
            "imd_score": imd.imd_score.astype(float),
            "share_0_15": shares.population_0_15,
            "share_16_59": shares.population_16_59,
            "share_60_plus": shares.population_60_plus,
        }
    )
    return RealGeography(cells, prev, lsoa)


def largest_remainder(exact: np.ndarray, groups: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Integers near `exact` summing to `totals[g]` within each group g (Hamilton's method)."""
    base = np.floor(exact).astype(np.int64)
    short = totals - np.bincount(groups, weights=base, minlength=len(totals)).astype(np.int64)
    order = np.lexsort((-(exact - base), groups))
    starts = np.r_[0, np.cumsum(np.bincount(groups, minlength=len(totals)))[:-1]]
    rank = np.empty(len(exact), dtype=np.int64)
    rank[order] = np.arange(len(exact)) - starts[groups[order]]
    return base + (rank < short[groups]).astype(np.int64)


def cell_counts(geo: RealGeography, people: int) -> np.ndarray:
    """People to draw in each (practice, LSOA) cell: the real counts scaled to `people`."""
    cells = geo.cells
    practice_idx, _ = pd.factorize(cells.practice_code, sort=True)
    lists = np.bincount(practice_idx, weights=cells.patients.to_numpy(float))
    fraction = people / lists.sum()
    one_group = np.zeros(len(lists), np.int64)
    targets = largest_remainder(lists * fraction, one_group, np.array([people]))
    exact = cells.patients.to_numpy(float) * (targets / lists)[practice_idx]
    return largest_remainder(exact, practice_idx, targets)


@dataclass
class RegisteredPeople:
    """One entry per drawn person (arrays aligned by person index)."""

    practice: np.ndarray  # practice code
    lsoa_code: np.ndarray
    age: np.ndarray
    sex: np.ndarray  # 1 male, 2 female
    ltc: dict[str, np.ndarray]  # pipeline condition code -> bool per person
    deprivation: np.ndarray  # the LSOA's IMD score in standard deviations (0 = average)


def _ages(share: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A single year of age from each person's LSOA shares of 0-15, 16-59 and 60+."""
    n = len(share)
    cum = np.cumsum(share, axis=1)
    band = (rng.random(n)[:, None] > cum[:, :2]).sum(axis=1)
    old_ages = np.arange(60, 101)
    old_w = np.exp(-(old_ages - 60) / 14.0)
    old = rng.choice(old_ages, size=n, p=old_w / old_w.sum())
    return np.select(
        [band == 0, band == 1], [rng.integers(0, 16, n), rng.integers(16, 60, n)], old
    ).astype(np.int64)


def _choose_exactly(
    weight: np.ndarray, groups: np.ndarray, k: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Exactly k[g] members of each group g, drawn with probability rising with `weight`
    (Efraimidis-Spirakis weighted sampling without replacement: the top keys u^(1/w))."""
    key = np.exp(np.log(rng.random(len(weight))) / weight)  # u^(1/w) in [0, 1]
    order = np.argsort(groups + 0.5 * (1.0 - key))  # by group, then highest key first
    starts = np.r_[0, np.cumsum(np.bincount(groups, minlength=len(k)))[:-1]]
    rank = np.empty(len(weight), dtype=np.int64)
    rank[order] = np.arange(len(weight)) - starts[groups[order]]
    return rank < k[groups]


def draw_registered(people: int, rng: np.random.Generator) -> RegisteredPeople:
    """`people` registered people on the real practices, LSOAs, ages and QOF prevalence."""
    geo = real_geography()
    counts = cell_counts(geo, people)
    cell = np.repeat(np.arange(len(counts)), counts)
    practice_of_cell, practices = pd.factorize(geo.cells.practice_code, sort=True)
    practice_idx = practice_of_cell[cell]
    practice = np.asarray(practices)[practice_idx]
    lsoa_code = geo.cells.lsoa_code.to_numpy()[cell]
    lsoa = geo.lsoa.set_index("lsoa_code").reindex(geo.cells.lsoa_code)
    shares = lsoa[["share_0_15", "share_16_59", "share_60_plus"]].fillna(1 / 3).to_numpy()[cell]
    age = _ages(shares, rng)
    p_female = np.select([age < 60, age < 80], [0.49, 0.53], 0.62)
    sex = np.where(rng.random(len(age)) < p_female, 2, 1)
    score = lsoa.imd_score.fillna(lsoa.imd_score.mean()).to_numpy()
    z_imd = ((score - score.mean()) / max(float(score.std()), 1e-9))[cell]
    frailty = rng.normal(0.0, FRAILTY_SD, len(age))
    sizes = np.bincount(practice_idx, minlength=len(practices))
    prevalence = geo.prevalence.reindex(practices)
    ltc: dict[str, np.ndarray] = {}
    for code in QOF_TO_CONDITION.values():
        slope = codes.CONDITION_PREVALENCE[code][1]
        weight = np.exp(slope * (age - 50) + DEPRIVATION_EFFECT * z_imd + frailty)
        k = np.rint(prevalence[code].to_numpy() * sizes).astype(np.int64)
        ltc[code] = _choose_exactly(weight, practice_idx, k, rng)
    return RegisteredPeople(practice, lsoa_code, age, sex.astype(np.int64), ltc, z_imd)
