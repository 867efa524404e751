"""Inequalities by deprivation: measures by IMD quintile and the slope index of inequality.

**Slope index of inequality (SII)**, as the Office for Health Improvement and Disparities
computes it: order the groups from most deprived (IMD quintile 1) to least deprived (5);
give each group the *ridit* of its population, the midpoint of its share of the
cumulative population (the first group of 20% of people sits at 0.1, the next at 0.3, ...);
fit the measure on the ridit by least squares weighted by each group's population. The
fitted line runs from x = 0 (the most deprived person) to x = 1 (the least deprived).
`sii` is fitted(0) - fitted(1): the gap between the most and least deprived ends of the
population, in the measure's own unit, positive when the most deprived have more.
`rii` (relative index) is fitted(0) / fitted(1).

Measures are crude (not age standardised): a more deprived quintile that is younger has a
lower crude rate of age-related care than its need; pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from stpkit.reference.public import IMD_QUINTILE_LABELS

QUINTILE_NAMES: dict[int, str] = IMD_QUINTILE_LABELS


@dataclass(frozen=True)
class Slope:
    """A weighted least-squares line of a measure on the ridit of deprivation."""

    sii: float  # fitted at the most deprived end minus fitted at the least deprived end
    rii: float | None  # fitted(most deprived) / fitted(least deprived)
    most: float  # fitted value at x = 0
    least: float  # fitted value at x = 1


def ridits(population: np.ndarray) -> np.ndarray:
    """Midpoints of each group's share of the cumulative population (groups in order)."""
    pop = np.asarray(population, dtype=float)
    total = pop.sum()
    if total <= 0:
        raise ValueError("no population to rank")
    before = np.r_[0.0, np.cumsum(pop)[:-1]]
    return (before + pop / 2) / total


def slope_index(values: np.ndarray, population: np.ndarray) -> Slope:
    """SII and RII of `values` (one per group, most deprived first) weighted by `population`."""
    y = np.asarray(values, dtype=float)
    w = np.asarray(population, dtype=float)
    keep = np.isfinite(y) & (w > 0)
    if keep.sum() < 2:
        raise ValueError("the slope index needs at least two groups with people")
    x = ridits(w)[keep]  # ridits from every group's population, as ranked
    y, w = y[keep], w[keep]
    xm = np.average(x, weights=w)
    ym = np.average(y, weights=w)
    slope = float(np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2))
    most = ym - slope * xm
    least = most + slope
    rii = most / least if least > 0 else None
    return Slope(sii=most - least, rii=rii, most=most, least=least)


# Measures of the inequalities page: name -> (label, numerator column, per, unit)
MEASURES: dict[str, tuple[str, str, int, str]] = {
    "emergency_admissions": ("Emergency admissions per 1,000", "emergency_admissions", 1000, ""),
    "ae": ("A&E attendances per 1,000", "n_ae", 1000, ""),
    "gp": ("GP appointments per 1,000", "n_gp", 1000, ""),
    "cost": ("Cost per person a year (GBP)", "total", 1, "GBP"),
    "multimorbidity": ("People with 2 or more long-term conditions (%)", "multimorbid", 100, "%"),
    "community": ("Community contacts per 1,000", "n_community", 1000, ""),
    "mental_health": ("Mental health contacts per 1,000", "n_mental_health", 1000, ""),
    "deaths": ("Deaths per 1,000", "died", 1000, ""),
}
COUNT_NUMERATORS = frozenset(
    {"emergency_admissions", "n_ae", "n_gp", "multimorbid", "n_community", "n_mental_health",
     "died"}
)  # fmt: skip


def by_quintile(people: pd.DataFrame) -> pd.DataFrame:
    """Raw sums by IMD quintile of a per-person frame (`imd_quintile`, and the numerator
    columns of `MEASURES`): people and each numerator; people with no quintile dropped."""
    frame = people[people.imd_quintile.notna()].copy()
    frame["imd_quintile"] = frame.imd_quintile.astype(int)
    numerators = sorted({num for _, num, _, _ in MEASURES.values()})
    sums = frame.groupby("imd_quintile")[numerators].sum().astype(float)
    sums.insert(0, "people", frame.groupby("imd_quintile").size())
    return sums.reindex(list(QUINTILE_NAMES), fill_value=0).reset_index()
