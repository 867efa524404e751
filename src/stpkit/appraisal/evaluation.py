"""Weighted evaluation of a short list: scores, weighted totals and ranks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stpkit.appraisal.criteria import Criterion, normalised_weights, score_matrix
from stpkit.appraisal.options import Option, check_unique_names


def ranks_of(totals: np.ndarray) -> np.ndarray:
    """Rank 1 = highest total; ties share the better rank ("competition" ranking)."""
    order = -np.asarray(totals)
    return np.array([1 + int(np.sum(order < x - 1e-9)) for x in order])


@dataclass(frozen=True)
class Evaluation:
    options: tuple[Option, ...]
    criteria: tuple[Criterion, ...]
    scores: np.ndarray  # options x criteria, 0-100
    weights: np.ndarray  # normalised, sum 1
    totals: np.ndarray  # weighted score, 0-100
    ranks: np.ndarray

    @property
    def preferred(self) -> Option:
        """The highest total; on a tie, the first listed (see `tied_first`)."""
        return self.options[int(np.argmax(self.totals))]

    @property
    def tied_first(self) -> tuple[Option, ...]:
        """Every option ranked first: more than one means the scores alone do not choose,
        and a panel must say which it prefers and why."""
        return tuple(o for o, r in zip(self.options, self.ranks, strict=True) if r == 1)

    def rows(self) -> list[dict[str, object]]:
        """One row per option, best first: metric values, scores, weighted total, rank."""
        out = []
        for i in np.argsort(self.ranks, kind="stable"):
            o = self.options[i]
            row: dict[str, object] = {
                "rank": int(self.ranks[i]),
                "option": o.name,
                "members": ", ".join(o.members),
                "origin": o.origin,
            }
            for j, c in enumerate(self.criteria):
                row[f"{c.name} value"] = o.metric(c.metric)
                row[f"{c.name} score"] = round(float(self.scores[i, j]), 2)
            row["weighted score"] = round(float(self.totals[i]), 2)
            out.append(row)
        return out


def evaluate(
    options: Sequence[Option],
    criteria: Sequence[Criterion],
    weights: np.ndarray | None = None,
) -> Evaluation:
    """Score every option on every criterion and total them with the (swing) weights."""
    options = tuple(options)
    criteria = tuple(criteria)
    check_unique_names(list(options))
    scores = score_matrix(options, criteria)
    w = normalised_weights(criteria) if weights is None else np.asarray(weights) / np.sum(weights)
    totals = scores @ w
    return Evaluation(options, criteria, scores, w, totals, ranks_of(totals))
