"""The three gaps on one page: each gap's measures, their RAG, and the gap's own RAG.

A gap is Red if any of its rated measures is Red, Amber if any is Amber, Green if all rated
measures are Green, grey if none is rated ("worst of" keeps a failing standard visible).
Each workstream's contribution is the count of its measures by RAG within the gap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from stpkit.system.catalogue import Gap
from stpkit.system.trajectory import MeasureSummary, Rag, improving


@dataclass(frozen=True)
class GapView:
    gap: Gap
    measures: tuple[MeasureSummary, ...]
    rag: Rag
    improving: int
    worsening: int
    by_workstream: dict[str, Counter[Rag]] = field(default_factory=dict)


def gap_rag(summaries: Sequence[MeasureSummary]) -> Rag:
    rated = [s.rag for s in summaries if s.rag is not Rag.GREY]
    if not rated:
        return Rag.GREY
    return min(rated, key=lambda r: r.score)


def three_gaps(summaries: Sequence[MeasureSummary]) -> list[GapView]:
    views = []
    for gap in Gap:
        mine = tuple(s for s in summaries if s.definition.gap is gap)
        trends = [improving(s.trend, s.definition.polarity) for s in mine]
        by_ws: dict[str, Counter[Rag]] = {}
        for s in mine:
            by_ws.setdefault(s.definition.workstream or "(programme)", Counter())[s.rag] += 1
        views.append(
            GapView(
                gap=gap,
                measures=mine,
                rag=gap_rag(mine),
                improving=sum(t is True for t in trends),
                worsening=sum(t is False for t in trends),
                by_workstream=by_ws,
            )
        )
    return views
