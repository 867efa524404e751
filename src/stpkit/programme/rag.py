"""Delivery confidence ratings (government major projects scale) and their roll-up.

The five ratings are ordered from best to worst; a programme's overall rating is
the worst of its workstreams unless a policy says otherwise, because one workstream in
doubt puts the programme in doubt.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Rag(StrEnum):
    GREEN = "green"
    AMBER_GREEN = "amber_green"
    AMBER = "amber"
    AMBER_RED = "amber_red"
    RED = "red"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def meaning(self) -> str:
        return MEANINGS[self]

    @property
    def rank(self) -> int:
        """0 (green, best) to 4 (red, worst)."""
        return ORDER.index(self)


ORDER: list[Rag] = [Rag.GREEN, Rag.AMBER_GREEN, Rag.AMBER, Rag.AMBER_RED, Rag.RED]
LABELS: dict[Rag, str] = {
    Rag.GREEN: "Green",
    Rag.AMBER_GREEN: "Amber/Green",
    Rag.AMBER: "Amber",
    Rag.AMBER_RED: "Amber/Red",
    Rag.RED: "Red",
}
MEANINGS: dict[Rag, str] = {
    Rag.GREEN: "Successful delivery appears highly likely and there are no major outstanding "
    "issues that at this stage appear to threaten delivery significantly.",
    Rag.AMBER_GREEN: "Successful delivery appears probable; constant attention will be "
    "needed to ensure risks do not materialise into major issues threatening delivery.",
    Rag.AMBER: "Successful delivery appears feasible but significant issues already exist, "
    "requiring management attention. These appear resolvable at this stage.",
    Rag.AMBER_RED: "Successful delivery is in doubt, with major risks or issues apparent in "
    "a number of key areas. Urgent action is needed to address them.",
    Rag.RED: "Successful delivery appears to be unachievable. There are major issues which, "
    "at this stage, do not appear to be manageable or resolvable.",
}
CHOICES: list[tuple[str, str]] = [(r.value, r.label) for r in ORDER]


def worst(ratings: Iterable[Rag]) -> Rag | None:
    """The worst rating of several (None when there are none)."""
    found = list(ratings)
    return max(found, key=lambda r: r.rank) if found else None


def mean_rating(ratings: Iterable[Rag]) -> Rag | None:
    """The rating nearest the mean rank: a softer roll-up for trend charts."""
    found = list(ratings)
    if not found:
        return None
    mean = sum(r.rank for r in found) / len(found)
    return ORDER[min(4, int(mean + 0.5))]
