"""Swing weights and panel scoring, handed to `stpkit.appraisal` for the arithmetic.

A panel scores each short-listed option on each evaluation criterion (0 to `scale_max`),
every scorer on their own. Where scorers disagree widely (spread above a threshold) the
panel discusses and records a moderated score with its reason. The consensus score is
the moderated one where there is one, else the mean of the scorers. Those consensus scores
become `appraisal.Option` metrics and the criteria `appraisal.Criterion`s with fixed
anchors 0 and `scale_max`, so weighted totals, ranks, sensitivity and switching values are
computed by the appraisal engine, not again here.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from stpkit.appraisal import Criterion, Evaluation, Option, evaluate
from stpkit.decisions.errors import ScoringError, WeightsError

WEIGHT_TOTAL = 100.0
TOLERANCE = 0.01


@dataclass(frozen=True)
class WeightedCriterion:
    key: str
    name: str
    group: str
    weight: float


def check_weights(criteria: Sequence[WeightedCriterion]) -> None:
    """Weights are percentages of the whole: each >= 0 and together 100."""
    if not criteria:
        raise WeightsError("There are no evaluation criteria to weight")
    negative = [c.name for c in criteria if c.weight < 0]
    if negative:
        raise WeightsError(f"Weights cannot be negative: {', '.join(negative)}")
    total = sum(c.weight for c in criteria)
    if abs(total - WEIGHT_TOTAL) > TOLERANCE:
        raise WeightsError(
            f"Swing weights must sum to {WEIGHT_TOTAL:g}; they sum to {total:g} "
            f"({', '.join(f'{c.name} {c.weight:g}' for c in criteria)})"
        )


def group_weights(criteria: Sequence[WeightedCriterion]) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in criteria:
        out[c.group] = out.get(c.group, 0.0) + c.weight
    return out


@dataclass(frozen=True)
class Score:
    scorer: str
    option: str
    criterion: str
    value: float


def check_score(value: float, scale_max: float, where: str) -> None:
    if not (0 <= value <= scale_max):
        raise ScoringError(f"{where}: score {value:g} is outside 0 to {scale_max:g}")


def check_not_scored_twice(scores: Sequence[Score]) -> None:
    seen: set[tuple[str, str, str]] = set()
    for s in scores:
        k = (s.scorer, s.option, s.criterion)
        if k in seen:
            raise ScoringError(
                f"{s.scorer} has already scored {s.option} on {s.criterion}: "
                "a scorer scores each option once per round"
            )
        seen.add(k)


@dataclass(frozen=True)
class CellSummary:
    """Every scorer's view of one option on one criterion, and what the panel settled on."""

    option: str
    criterion: str
    n: int
    mean: float
    low: float
    high: float
    sd: float
    moderated: float | None

    @property
    def spread(self) -> float:
        return self.high - self.low

    @property
    def consensus(self) -> float:
        return self.moderated if self.moderated is not None else self.mean


def summarise(
    scores: Sequence[Score],
    moderated: Mapping[tuple[str, str], float] | None = None,
) -> dict[tuple[str, str], CellSummary]:
    """(option, criterion) -> summary of the panel's scores."""
    check_not_scored_twice(scores)
    moderated = moderated or {}
    cells: dict[tuple[str, str], list[float]] = {}
    for s in scores:
        cells.setdefault((s.option, s.criterion), []).append(s.value)
    out = {}
    for (o, c), vals in cells.items():
        out[(o, c)] = CellSummary(
            o,
            c,
            len(vals),
            statistics.fmean(vals),
            min(vals),
            max(vals),
            statistics.pstdev(vals) if len(vals) > 1 else 0.0,
            moderated.get((o, c)),
        )
    return out


def needing_moderation(
    cells: Mapping[tuple[str, str], CellSummary], max_spread: float
) -> list[CellSummary]:
    """Cells whose scorers disagree by more than `max_spread` and have no moderated score."""
    return [c for c in cells.values() if c.spread > max_spread and c.moderated is None]


def missing_scores(
    scores: Sequence[Score], scorers: Sequence[str], options: Sequence[str], criteria: Sequence[str]
) -> list[tuple[str, str, str]]:
    have = {(s.scorer, s.option, s.criterion) for s in scores}
    return [
        (sc, o, c) for sc in scorers for o in options for c in criteria if (sc, o, c) not in have
    ]


def panel_evaluation(
    options: Sequence[str],
    criteria: Sequence[WeightedCriterion],
    cells: Mapping[tuple[str, str], CellSummary],
    scale_max: float,
    members: Mapping[str, Sequence[str]] | None = None,
) -> Evaluation:
    """The appraisal engine's evaluation of the consensus scores with the locked weights."""
    check_weights(criteria)
    members = members or {}
    opts = []
    for o in options:
        metrics = {}
        for c in criteria:
            cell = cells.get((o, c.key))
            if cell is None:
                raise ScoringError(f"{o} has no panel score on {c.name}")
            metrics[c.key] = cell.consensus
        opts.append(Option(o, metrics, tuple(members.get(o, ())), origin="short list"))
    crits = [
        Criterion(c.name, c.key, c.weight, "higher", worst=0.0, best=scale_max) for c in criteria
    ]
    return evaluate(opts, crits)
