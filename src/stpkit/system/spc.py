"""XmR statistical process control as NHS England's "Making Data Count" draws it.

A board asks of every measure two questions: is it changing (variation), and will it meet
its target (assurance)? The XmR chart answers both from the data alone. The centre line is
the mean of a baseline; the process limits are the mean plus or minus 2.66 times the mean
moving range (the moving range, not the standard deviation, so that a trend does not widen
its own limits). A point is special cause when any of the Making Data Count rules fires:

1. a single point outside a process limit;
2. a shift: 7 or more consecutive points on one side of the mean;
3. a trend: 6 or more consecutive points each higher (or each lower) than the one before;
4. two out of three consecutive points in the outer third (beyond two sigma) on one side.

The variation icon says whether the latest special cause is an improvement or a concern
(by the measure's polarity); the assurance icon compares the target with the limits: a
target outside them is consistently met or consistently missed, one inside is hit and miss.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

SIGMA_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
SHIFT_LENGTH = 7
TREND_LENGTH = 6
MIN_POINTS = 12  # Making Data Count advises at least 12 points before limits mean much


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    NEITHER = "neither"


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVING_HIGH = "improving_high"
    IMPROVING_LOW = "improving_low"
    CONCERNING_HIGH = "concerning_high"
    CONCERNING_LOW = "concerning_low"
    SPECIAL_HIGH = "special_high"  # no polarity: a change upwards, neither good nor bad
    SPECIAL_LOW = "special_low"

    @property
    def label(self) -> str:
        return {
            "common_cause": "Common cause variation",
            "improving_high": "Special cause: improvement (higher)",
            "improving_low": "Special cause: improvement (lower)",
            "concerning_high": "Special cause: concern (higher)",
            "concerning_low": "Special cause: concern (lower)",
            "special_high": "Special cause: higher",
            "special_low": "Special cause: lower",
        }[self.value]


class Assurance(StrEnum):
    CONSISTENTLY_PASS = "pass"
    CONSISTENTLY_FAIL = "fail"
    HIT_AND_MISS = "hit_and_miss"
    NO_TARGET = "none"

    @property
    def label(self) -> str:
        return {
            "pass": "Will consistently meet the target",
            "fail": "Will consistently miss the target without change",
            "hit_and_miss": "Will sometimes meet and sometimes miss the target",
            "none": "No target",
        }[self.value]


@dataclass(frozen=True)
class SpcPoint:
    value: float
    special: bool
    direction: int  # +1 above/upwards, -1 below/downwards, 0 none
    rules: tuple[str, ...]


@dataclass(frozen=True)
class SpcResult:
    mean: float
    upper_limit: float
    lower_limit: float
    points: tuple[SpcPoint, ...]
    variation: Variation
    assurance: Assurance
    baseline_points: int
    enough_points: bool

    @property
    def sigma(self) -> float:
        return (self.upper_limit - self.mean) / 3


class SpcError(ValueError):
    """The series cannot be charted (too short, or not numbers)."""


def xmr(
    values: Sequence[float],
    *,
    polarity: Polarity = Polarity.NEITHER,
    target: float | None = None,
    baseline: int | None = None,
) -> SpcResult:
    """Limits from the first `baseline` points (all, by default), rules over every point."""
    series = [float(v) for v in values]
    if len(series) < 2:
        raise SpcError(f"an XmR chart needs at least 2 points, got {len(series)}")
    base = series[: baseline or len(series)]
    if len(base) < 2:
        raise SpcError(f"the baseline needs at least 2 points, got {len(base)}")
    mean = sum(base) / len(base)
    moving = [abs(b - a) for a, b in itertools.pairwise(base)]
    mr_bar = sum(moving) / len(moving)
    upper, lower = mean + SIGMA_FACTOR * mr_bar, mean - SIGMA_FACTOR * mr_bar
    sigma = SIGMA_FACTOR * mr_bar / 3

    rules: list[set[str]] = [set() for _ in series]
    direction = [0 for _ in series]

    def mark(i: int, rule: str, sign: int) -> None:
        rules[i].add(rule)
        direction[i] = direction[i] or sign

    for i, v in enumerate(series):
        if v > upper:
            mark(i, "outside_limits", 1)
        elif v < lower:
            mark(i, "outside_limits", -1)
    _runs(series, lambda v: v > mean, SHIFT_LENGTH, lambda i: mark(i, "shift", 1))
    _runs(series, lambda v: v < mean, SHIFT_LENGTH, lambda i: mark(i, "shift", -1))
    _trends(series, mark)
    if sigma > 0:
        for sign in (1, -1):
            near = [sign * (v - mean) > 2 * sigma for v in series]
            for i in range(len(series) - 2):
                window = near[i : i + 3]
                if sum(window) >= 2:
                    for j in range(i, i + 3):
                        if near[j]:
                            mark(j, "two_of_three", sign)

    points = tuple(
        SpcPoint(v, bool(r), d if r else 0, tuple(sorted(r)))
        for v, r, d in zip(series, rules, direction, strict=True)
    )
    return SpcResult(
        mean=mean,
        upper_limit=upper,
        lower_limit=lower,
        points=points,
        variation=_variation(points, polarity),
        assurance=_assurance(upper, lower, polarity, target),
        baseline_points=len(base),
        enough_points=len(base) >= MIN_POINTS,
    )


def _runs(
    series: list[float], side: Callable[[float], bool], length: int, mark: Callable[[int], None]
) -> None:
    run: list[int] = []
    for i, v in enumerate(series):
        if side(v):
            run.append(i)
        else:
            run = []
        if len(run) == length:
            for j in run:
                mark(j)
        elif len(run) > length:
            mark(i)


def _trends(series: list[float], mark: Callable[[int, str, int], None]) -> None:
    for sign in (1, -1):
        run = [0]
        for i in range(1, len(series)):
            if sign * (series[i] - series[i - 1]) > 0:
                run.append(i)
            else:
                run = [i]
            if len(run) == TREND_LENGTH:
                for j in run:
                    mark(j, "trend", sign)
            elif len(run) > TREND_LENGTH:
                mark(i, "trend", sign)


def _variation(points: Sequence[SpcPoint], polarity: Polarity) -> Variation:
    """The icon for the latest point: special cause only if the latest point is special."""
    last = points[-1]
    if not last.special:
        return Variation.COMMON_CAUSE
    up = last.direction > 0
    if polarity is Polarity.NEITHER:
        return Variation.SPECIAL_HIGH if up else Variation.SPECIAL_LOW
    good = up == (polarity is Polarity.HIGHER_IS_BETTER)
    if good:
        return Variation.IMPROVING_HIGH if up else Variation.IMPROVING_LOW
    return Variation.CONCERNING_HIGH if up else Variation.CONCERNING_LOW


def _assurance(upper: float, lower: float, polarity: Polarity, target: float | None) -> Assurance:
    if target is None or polarity is Polarity.NEITHER:
        return Assurance.NO_TARGET
    if polarity is Polarity.HIGHER_IS_BETTER:
        if lower > target:
            return Assurance.CONSISTENTLY_PASS
        if upper < target:
            return Assurance.CONSISTENTLY_FAIL
    else:
        if upper < target:
            return Assurance.CONSISTENTLY_PASS
        if lower > target:
            return Assurance.CONSISTENTLY_FAIL
    return Assurance.HIT_AND_MISS
