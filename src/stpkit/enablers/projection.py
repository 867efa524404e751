"""Five-year workforce supply and demand by staff group, with ranges.

Supply: staff in post, plus newly qualified (training) and recruitment, minus retirements
(a share of those within five years of retirement each year) and other leavers (turnover).
Demand: today's staff in post plus vacancies, grown each year by an activity growth rate
(by default the range the activity projection gives, `annual_growth_range`), plus the WTE
service changes add or release. Each assumption is a range (low, central,
high); `draws` Monte Carlo draws from triangular distributions give the 10th, 50th and
90th centiles of supply, demand and the gap (demand minus supply: positive is a shortfall).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from stpkit.enablers.errors import EnablersError

Range = tuple[float, float, float]  # low, central, high
# Share of the under-55s who turn 55 each year: one year of a working life of about
# 25 years before 55 (a flat age profile).
AGEING_RATE = 1 / 25


@dataclass(frozen=True)
class GroupAssumptions:
    """Yearly rates for one staff group; WTE figures are a year, rates shares a year."""

    training_wte: Range = (0.0, 0.0, 0.0)
    recruitment_wte: Range = (0.0, 0.0, 0.0)
    retirement_rate: Range = (0.15, 0.2, 0.25)  # of the WTE aged 55+, each year
    turnover_rate: Range = (0.08, 0.1, 0.12)  # other leavers, of all WTE
    demand_growth: Range = (0.01, 0.02, 0.03)  # activity growth a year

    def check(self, group: str) -> None:
        for name in ("training_wte", "recruitment_wte", "retirement_rate", "turnover_rate"):
            lo, mid, hi = getattr(self, name)
            if not (0 <= lo <= mid <= hi):
                raise EnablersError(
                    f"{group}: {name} must be low <= central <= high and not negative, "
                    f"got {(lo, mid, hi)}"
                )
        lo, mid, hi = self.demand_growth
        if not lo <= mid <= hi:
            raise EnablersError(f"{group}: demand_growth must be low <= central <= high")


def annual_growth_range(base: float, end: tuple[float, float, float], years: int) -> Range:
    """A yearly growth range from an activity projection: the base year's activity and the
    10th, 50th and 90th centiles `years` later, each turned into a compound yearly rate.

    Why: the workforce plan's demand should grow with the activity the partnership expects
    (the integrated dataset's Monte Carlo), not with a rate typed in on its own."""
    if base <= 0 or years < 1:
        raise EnablersError("activity growth needs a positive base and at least one year")
    rates = sorted((max(v, 0.0) / base) ** (1.0 / years) - 1.0 for v in end)
    return (rates[0], rates[1], rates[2])


@dataclass(frozen=True)
class Baseline:
    wte: float
    near_retirement_wte: float
    vacancies_wte: float = 0.0


@dataclass(frozen=True)
class YearRow:
    staff_group: str
    year: int  # 1..years after the baseline
    supply: tuple[float, float, float]  # p10, p50, p90
    demand: tuple[float, float, float]
    gap: tuple[float, float, float]


@dataclass
class Projection:
    years: int
    rows: list[YearRow] = field(default_factory=list)

    def gap_at_end(self) -> dict[str, tuple[float, float, float]]:
        return {r.staff_group: r.gap for r in self.rows if r.year == self.years}


def _triangular(rng: np.random.Generator, r: Range, size: tuple[int, ...]) -> np.ndarray:
    lo, mid, hi = r
    if hi - lo <= 0:
        return np.full(size, mid)
    return rng.triangular(lo, mid, hi, size=size)


def project(
    baseline: Mapping[str, Baseline],
    assumptions: Mapping[str, GroupAssumptions],
    service_changes: Mapping[str, Sequence[float]] | None = None,
    *,
    years: int = 5,
    draws: int = 2000,
    seed: int = 20170424,
) -> Projection:
    """Project every staff group in `baseline` (groups without assumptions use defaults).

    `service_changes[group][y]` is the WTE demand added (or, negative, released) by
    service changes in year y+1, cumulative from then on.
    """
    if years < 1:
        raise EnablersError("years must be at least 1")
    service_changes = service_changes or {}
    rng = np.random.default_rng(seed)
    out = Projection(years=years)
    for group in sorted(baseline):
        base = baseline[group]
        a = assumptions.get(group, GroupAssumptions())
        a.check(group)
        deltas = np.zeros(years)
        for y, d in enumerate(list(service_changes.get(group, ()))[:years]):
            deltas[y:] += d
        shape = (draws,)
        train = _triangular(rng, a.training_wte, shape)
        recruit = _triangular(rng, a.recruitment_wte, shape)
        retire = _triangular(rng, a.retirement_rate, shape)
        turn = _triangular(rng, a.turnover_rate, shape)
        growth = _triangular(rng, a.demand_growth, shape)
        supply = np.full(draws, base.wte)
        older = np.full(draws, min(base.near_retirement_wte, base.wte))
        demand0 = base.wte + base.vacancies_wte
        for y in range(years):
            retired = older * retire
            others = np.maximum(supply - older, 0.0)
            leavers = others * turn
            ageing = (others - leavers) * AGEING_RATE
            older = np.maximum(older - retired + ageing, 0.0)
            supply = np.maximum(supply - retired - leavers + train + recruit, 0.0)
            demand = demand0 * (1.0 + growth) ** (y + 1) + deltas[y]
            gap = demand - supply
            out.rows.append(
                YearRow(
                    staff_group=group,
                    year=y + 1,
                    supply=_centiles(supply),
                    demand=_centiles(demand),
                    gap=_centiles(gap),
                )
            )
    return out


def _centiles(x: np.ndarray) -> tuple[float, float, float]:
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return float(p10), float(p50), float(p90)
