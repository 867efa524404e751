"""Pairwise scores against known labels: precision, recall, F1 and pair completeness.

A pair is a true match when both records carry one label; a predicted match when both are
in one cluster. Counts are sums of n(n-1)/2 over groups, so no pair is ever materialised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stpkit.kid.pipeline.linkage.sql import rows


@dataclass(frozen=True)
class PairScores:
    true_pairs: int
    predicted_pairs: int
    true_positive: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(group_sizes: str) -> str:
    return f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM ({group_sizes}) g"


def pairwise_scores(con: Any, table: str, cluster: str, label: str) -> PairScores:
    """Score a table with a predicted cluster column and a true label column."""
    where = f"WHERE {label} IS NOT NULL"
    true_pairs = rows(con, _pairs(f"SELECT count(*) AS n FROM {table} {where} GROUP BY {label}"))[
        0
    ][0]
    predicted = rows(con, _pairs(f"SELECT count(*) AS n FROM {table} {where} GROUP BY {cluster}"))[
        0
    ][0]
    both = rows(
        con, _pairs(f"SELECT count(*) AS n FROM {table} {where} GROUP BY {cluster}, {label}")
    )[0][0]
    return PairScores(int(true_pairs), int(predicted), int(both))


def pair_completeness(con: Any, pairs: str, records: str, label: str) -> float:
    """Share of true matching pairs that blocking put in front of the model."""
    true_pairs = rows(
        con,
        _pairs(f"SELECT count(*) AS n FROM {records} WHERE {label} IS NOT NULL GROUP BY {label}"),
    )[0][0]
    if not true_pairs:
        return 1.0
    found = rows(
        con,
        f"SELECT count(*) FROM {pairs} p JOIN {records} a ON p.unique_id_l = a.unique_id "
        f"JOIN {records} b ON p.unique_id_r = b.unique_id WHERE a.{label} = b.{label}",
    )[0][0]
    return float(found) / float(true_pairs)
