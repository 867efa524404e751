"""Equality and access impact of a configuration: who gains and who loses travel time.

For the region's residents (LSOAs inside it), against today:
- by **IMD 2019 quintile** (1 = most deprived fifth of English LSOAs; vendored MHCLG
  figures, `stpkit.reference.public.imd`): admissions, mean minutes today and under the
  option, the change, and the share within 30 and 45 minutes, each weighted by stroke
  admissions;
- by **age band** of residents (IoD 2019 population denominators 0-15, 16-59, 60+): the
  same figures weighted by the band's population (everyone who may need the unit or visit);
- the **LSOAs that lose most** (largest increase in minutes);
- **visitor journeys by road**: each admission brings visits (default one a day of its
  stay, by road to the unit and back), so the change in visitor hours a year is
  sum(admissions x visits x 2 x change in minutes) / 60.

An LSOA without an IMD row (e.g. a synthetic test geography) sits in quintile 0, "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from stpkit.reference.public import IMD_QUINTILE_LABELS
from stpkit.stroke.geography import StrokeGeography

AGE_BANDS = (
    ("0-15", "population_0_15"),
    ("16-59", "population_16_59"),
    ("60+", "population_60_plus"),
)
QUINTILE_LABELS = {0: "unknown", **IMD_QUINTILE_LABELS}


@dataclass(frozen=True)
class EqualityBase:
    """Per resident LSOA of a geography: IMD quintile and population by age band."""

    rows: np.ndarray  # indices of resident LSOAs in the geography
    quintile: np.ndarray  # (r,) 0-5
    population: np.ndarray  # (r, 3) by AGE_BANDS

    @cached_property
    def quintile_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """The quintiles present (sorted) and each LSOA's position among them, once."""
        qs = np.unique(self.quintile)
        return qs, np.searchsorted(qs, self.quintile)

    @classmethod
    def for_geography(cls, geo: StrokeGeography) -> EqualityBase:
        from stpkit.reference import public

        rows = np.nonzero(geo.resident)[0]
        codes = [geo.lsoa_codes[i] for i in rows]
        imd = public.imd(codes).set_index("lsoa_code").reindex(codes)
        quintile = imd["imd_quintile"].fillna(0).astype(int).to_numpy()
        population = np.column_stack(
            [imd[col].fillna(0).to_numpy(dtype=float) for _, col in AGE_BANDS]
        )
        return cls(rows, quintile, population)


@dataclass(frozen=True)
class EqualityImpact:
    """The figures, as columns; the tables are built from them when first read (a long
    list's figures are computed for every option, its tables written for the short list)."""

    quintile_columns: dict[str, Any]
    age_columns: dict[str, Any]
    loser_columns: dict[str, Any]
    visitor_hours_change: float  # a year, all visitors of resident admissions

    @cached_property
    def by_quintile(self) -> pd.DataFrame:
        return pd.DataFrame(self.quintile_columns)

    @cached_property
    def by_age(self) -> pd.DataFrame:
        return pd.DataFrame(self.age_columns)

    @cached_property
    def losers(self) -> pd.DataFrame:
        return pd.DataFrame(self.loser_columns)

    def metrics(self) -> dict[str, float]:
        """Figures a criterion may use: the most deprived fifth's change and access."""
        q1 = self.by_quintile[self.by_quintile.imd_quintile == 1]
        older = self.by_age[self.by_age.age_band == "60+"]
        return {
            "most_deprived_change_minutes": float(q1.change_minutes.iloc[0]) if len(q1) else 0.0,
            "most_deprived_within_45": float(q1.within_45.iloc[0]) if len(q1) else 0.0,
            "aged_60_plus_change_minutes": float(older.change_minutes.iloc[0])
            if len(older)
            else 0.0,
            "visitor_hours_change": self.visitor_hours_change,
        }


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _largest(values: np.ndarray, n: int) -> np.ndarray:
    """Indices of the `n` largest values, largest first, ties in index order: what a stable
    sort of the whole array gives, from a partition and a sort of the few that can be in
    it (every value tied with the n-th largest is kept, so ties resolve as before)."""
    if n <= 0:
        return np.arange(0)
    if len(values) <= n:
        return np.argsort(-values, kind="stable")
    cut = np.partition(values, len(values) - n)[len(values) - n]
    near = np.nonzero(values >= cut)[0]
    return near[np.argsort(-values[near], kind="stable")][:n]


def equality_impact(
    base: EqualityBase,
    geo: StrokeGeography,
    minutes: np.ndarray,
    today_minutes: np.ndarray,
    visits_per_admission: float = 11.0,
    losers: int = 10,
) -> EqualityImpact:
    """`minutes` and `today_minutes` are per LSOA of the geography (a result's columns).
    Weighted sums by quintile are bincounts and by age band one matrix product, so the
    tables of the whole long list cost little."""
    r = base.rows
    t, t0 = minutes[r], today_minutes[r]
    w = geo.admissions[r]
    change = t - t0
    qs, idx = base.quintile_groups

    def by_q(values: np.ndarray) -> np.ndarray:
        return np.bincount(idx, weights=values * w, minlength=len(qs))

    wq = np.bincount(idx, weights=w, minlength=len(qs))
    by_quintile = {
        "imd_quintile": qs,
        "quintile": [QUINTILE_LABELS[int(q)] for q in qs],
        "lsoas": np.bincount(idx, minlength=len(qs)),
        "admissions": np.round(wq, 1),
        "minutes_today": np.round(_share(by_q(t0), wq), 2),
        "minutes": np.round(_share(by_q(t), wq), 2),
        "change_minutes": np.round(_share(by_q(change), wq), 2),
        "within_30_today": np.round(_share(by_q(t0 <= 30), wq), 4),
        "within_30": np.round(_share(by_q(t <= 30), wq), 4),
        "within_45_today": np.round(_share(by_q(t0 <= 45), wq), 4),
        "within_45": np.round(_share(by_q(t <= 45), wq), 4),
    }
    pop = base.population  # (r, bands)
    p_total = pop.sum(axis=0)
    by_age = {
        "age_band": [band for band, _ in AGE_BANDS],
        "population": p_total.astype(int),
        "minutes_today": np.round(_share(t0 @ pop, p_total), 2),
        "minutes": np.round(_share(t @ pop, p_total), 2),
        "change_minutes": np.round(_share(change @ pop, p_total), 2),
        "within_45_today": np.round(_share((t0 <= 45) @ pop, p_total), 4),
        "within_45": np.round(_share((t <= 45) @ pop, p_total), 4),
    }
    worst = _largest(change, losers)
    lose = {
        "lsoa_code": [geo.lsoa_codes[r[i]] for i in worst],
        "lsoa_name": [geo.lsoa_names[r[i]] for i in worst],
        "imd_quintile": base.quintile[worst],
        "admissions": np.round(w[worst], 2),
        "minutes_today": np.round(t0[worst], 1),
        "minutes": np.round(t[worst], 1),
        "change_minutes": np.round(change[worst], 1),
    }
    visitor_hours = float(np.sum(w * visits_per_admission * 2.0 * change) / 60.0)
    return EqualityImpact(by_quintile, by_age, lose, visitor_hours)


__all__ = ["AGE_BANDS", "EqualityBase", "EqualityImpact", "equality_impact"]
