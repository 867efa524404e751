"""Evaluation criteria: a metric, a swing weight and a scoring function (value to 0-100).

Swing weighting (Green Book MCDA guidance, 2024): each criterion's weight says how much the
swing from the worst to the best option on it matters, relative to the other criteria.
Scores are 0 for the worst and 100 for the best level unless fixed anchors or a piecewise
value function are given, so a criterion on which all options are equal scores them all
alike and cannot change the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from stpkit.appraisal.errors import AppraisalError
from stpkit.appraisal.options import Option

Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Criterion:
    """One evaluation criterion.

    - `direction`: "higher" when more is better (share within 30 minutes), "lower" when
      less is better (mean travel time).
    - `worst`/`best`: fixed anchors for the linear score; default to the range over the
      options being scored (local scale).
    - `points`: a piecewise-linear value function [(value, score), ...] instead of a line.
    """

    name: str
    metric: str
    weight: float
    direction: Direction = "higher"
    worst: float | None = None
    best: float | None = None
    points: tuple[tuple[float, float], ...] = field(default=())
    description: str = ""

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise AppraisalError(f"Criterion {self.name!r}: weight {self.weight} is negative")
        if self.direction not in ("higher", "lower"):
            raise AppraisalError(
                f"Criterion {self.name!r}: direction must be 'higher' or 'lower', "
                f"not {self.direction!r}"
            )
        if self.points:
            xs = [p[0] for p in self.points]
            if xs != sorted(xs) or len(set(xs)) != len(xs):
                raise AppraisalError(
                    f"Criterion {self.name!r}: scoring points must have increasing values"
                )

    def scores(self, values: Sequence[float]) -> np.ndarray:
        """Score values on 0-100 (clipped), 100 best."""
        v = np.asarray(values, dtype=float)
        if self.points:
            xs = np.array([p[0] for p in self.points])
            ys = np.array([p[1] for p in self.points])
            return np.asarray(np.clip(np.interp(v, xs, ys), 0.0, 100.0))
        lo = float(np.nanmin(v)) if self.worst is None or self.best is None else None
        hi = float(np.nanmax(v)) if lo is not None else None
        if self.direction == "higher":
            worst = self.worst if self.worst is not None else lo
            best = self.best if self.best is not None else hi
        else:
            worst = self.worst if self.worst is not None else hi
            best = self.best if self.best is not None else lo
        assert worst is not None and best is not None
        if best == worst:
            return np.full(v.shape, 100.0)
        return np.asarray(np.clip((v - worst) / (best - worst) * 100.0, 0.0, 100.0))


def normalised_weights(criteria: Sequence[Criterion]) -> np.ndarray:
    w = np.array([c.weight for c in criteria], dtype=float)
    if not len(w) or w.sum() <= 0:
        raise AppraisalError("Evaluation needs at least one criterion with a positive weight")
    return np.asarray(w / w.sum())


def score_matrix(options: Sequence[Option], criteria: Sequence[Criterion]) -> np.ndarray:
    """Scores (options x criteria), each on 0-100."""
    if not options:
        raise AppraisalError("There are no options to evaluate")
    names = [c.name for c in criteria]
    if len(set(names)) != len(names):
        raise AppraisalError(f"Criterion names must be unique: {names}")
    cols = [c.scores([o.metric(c.metric) for o in options]) for c in criteria]
    return np.column_stack(cols)
