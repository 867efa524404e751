"""Trajectories (the plan, period by period) against actuals, and the RAG they give.

RAG for a period, the programme's convention for a measure with a plan:
- Green: the actual meets the plan for the period (or, with no plan, the target);
- Amber: it misses by no more than the tolerance (5% of the plan by default);
- Red: it misses by more.
Grey when there is no actual or nothing to compare it with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stpkit.system.catalogue import MeasureDefinition, meets
from stpkit.system.spc import Polarity, SpcError, SpcResult, xmr

DEFAULT_TOLERANCE = 0.05


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"

    @property
    def label(self) -> str:
        return {"green": "Green", "amber": "Amber", "red": "Red", "grey": "No data"}[self.value]

    @property
    def score(self) -> int:
        return {"green": 3, "amber": 2, "red": 1, "grey": 0}[self.value]


@dataclass(frozen=True)
class PeriodValue:
    period: date
    planned: float | None
    actual: float | None


def rag(
    actual: float | None,
    comparator: float | None,
    polarity: Polarity,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Rag:
    if actual is None or comparator is None or polarity is Polarity.NEITHER:
        return Rag.GREY
    if meets(actual, comparator, polarity):
        return Rag.GREEN
    miss = abs(actual - comparator)
    return Rag.AMBER if miss <= abs(comparator) * tolerance else Rag.RED


@dataclass(frozen=True)
class MeasureSummary:
    """A measure's latest position: value, plan, RAG, SPC and trend."""

    definition: MeasureDefinition
    values: tuple[PeriodValue, ...]
    latest: PeriodValue | None
    rag: Rag
    spc: SpcResult | None
    trend: float | None  # change of the mean of the last 3 actuals over the 3 before

    @property
    def actuals(self) -> list[tuple[date, float]]:
        return [(v.period, v.actual) for v in self.values if v.actual is not None]


def summarise(
    definition: MeasureDefinition,
    values: Sequence[PeriodValue] | Mapping[date, PeriodValue],
    *,
    baseline: int | None = None,
) -> MeasureSummary:
    """Join plan and actuals, chart the actuals (XmR) and rate the latest actual."""
    rows = sorted(values.values() if isinstance(values, Mapping) else values, key=_period)
    measured = [v for v in rows if v.actual is not None]
    latest = measured[-1] if measured else None
    spc: SpcResult | None = None
    if len(measured) >= 2:
        try:
            spc = xmr(
                [v.actual for v in measured if v.actual is not None],
                polarity=definition.polarity,
                target=definition.target,
                baseline=baseline,
            )
        except SpcError:
            spc = None
    status = Rag.GREY
    if latest is not None:
        comparator = latest.planned if latest.planned is not None else definition.target
        status = rag(latest.actual, comparator, definition.polarity)
    return MeasureSummary(
        definition=definition,
        values=tuple(rows),
        latest=latest,
        rag=status,
        spc=spc,
        trend=_trend([v.actual for v in measured if v.actual is not None]),
    )


def _period(v: PeriodValue) -> date:
    return v.period


def _trend(actuals: Sequence[float], window: int = 3) -> float | None:
    if len(actuals) < 2 * window:
        return None
    recent = sum(actuals[-window:]) / window
    before = sum(actuals[-2 * window : -window]) / window
    return recent - before


def improving(trend: float | None, polarity: Polarity) -> bool | None:
    """Whether the trend is in the better direction (None: no trend or no polarity)."""
    if trend is None or polarity is Polarity.NEITHER or trend == 0:
        return None
    return (trend > 0) == (polarity is Polarity.HIGHER_IS_BETTER)
