"""Needs-weighted capitation: what each footprint's budget would be if money followed need.

**Weights from the store's own costs.** Every person alive at the start of the year falls
in a cell of age band x sex x number of long-term conditions (0, 1, 2, 3, 4+) x IMD
quintile of their LSOA. A cell's weight is its mean year-of-care cost divided by the
mean over everyone. Small cells are shrunk towards their parent (the same age band, sex
and condition count over all quintiles): weight = (cell cost + K x parent mean) /
(cell people + K) with K = `SHRINK_PEOPLE`; the parent is shrunk the same way towards
its age band and sex. A person's need is their cell's weight.

**Budgets.** A footprint's needs-weighted population is the sum of its people's weights;
its share of the partnership's actual spend in proportion to that is its needs-weighted
budget, shown beside its actual spend (the cost of its registered people's care). The
difference says how far today's spending is from one led by need alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SHRINK_PEOPLE = 30.0
AGE_EDGES: tuple[int, ...] = (0, 5, 15, 45, 65, 75, 85)
AGE_LABELS: tuple[str, ...] = ("0-4", "5-14", "15-44", "45-64", "65-74", "75-84", "85+")


def age_band(age: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(np.asarray(AGE_EDGES), np.asarray(age), side="right") - 1
    return np.asarray(AGE_LABELS)[np.clip(idx, 0, len(AGE_LABELS) - 1)]


def _shrunk(frame: pd.DataFrame, keys: list[str], prior: np.ndarray) -> np.ndarray:
    """Each row's cell mean cost, shrunk towards `prior` (the row's parent mean)."""
    grouped = frame.groupby(keys, observed=True).total
    cost = grouped.transform("sum").to_numpy(float)
    people = grouped.transform("size").to_numpy(float)
    return (cost + SHRINK_PEOPLE * prior) / (people + SHRINK_PEOPLE)


def need_weights(people: pd.DataFrame) -> pd.DataFrame:
    """Per person (`age`, `sex`, `ltc_count`, `imd_quintile`, `total` cost): their need
    weight (1 = the average person). Returns the frame with `weight` added."""
    frame = people.copy()
    frame["age_band"] = age_band(frame.age.to_numpy())
    frame["ltc"] = np.minimum(frame.ltc_count.to_numpy(), 4)
    frame["quintile"] = frame.imd_quintile.fillna(3).astype(int)
    overall = float(frame.total.mean()) if len(frame) else 0.0
    keys = ["age_band", "sex"]
    mean = _shrunk(frame, keys, np.full(len(frame), overall))
    mean = _shrunk(frame, [*keys, "ltc"], mean)
    mean = _shrunk(frame, [*keys, "ltc", "quintile"], mean)
    frame["weight"] = mean / overall if overall > 0 else 1.0
    return frame


def budgets(weighted: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group of `by`: people, needs-weighted population, actual spend, needs-weighted
    budget (the total spend shared by need) and the difference (budget - actual)."""
    g = weighted.groupby(by, observed=True).agg(
        people=("weight", "size"), weighted=("weight", "sum"), actual=("total", "sum")
    )
    total_spend = float(weighted.total.sum())
    g["budget"] = total_spend * g.weighted / g.weighted.sum() if g.weighted.sum() else 0.0
    g["difference"] = g.budget - g.actual
    return g.reset_index().rename(columns={by: "group"})
