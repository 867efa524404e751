"""The option funnel: how many options stand at each step, long list to preferred option."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stpkit.decisions.errors import DecisionsError

# The list an option reached, in funnel order. "rejected" options stop at the long list.
LIST_ORDER = ("long", "medium", "short", "preferred")
LIST_LABELS = {
    "long": "Long list",
    "medium": "Medium list",
    "short": "Short list",
    "preferred": "Preferred option",
}


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    count: int


def funnel_counts(reached: Sequence[str], uses_medium_list: bool) -> list[FunnelStep]:
    """Count options that reached each list (an option on the short list was on the long).

    `reached` holds, per option, the furthest list it reached ("long" for options rejected
    at the hurdles). East Kent's route has a medium list; stroke goes straight to a short list.
    """
    rank = {k: i for i, k in enumerate(LIST_ORDER)}
    bad = sorted({r for r in reached if r not in rank})
    if bad:
        raise DecisionsError(f"Unknown list {bad}; lists are {', '.join(LIST_ORDER)}")
    steps = [k for k in LIST_ORDER if uses_medium_list or k != "medium"]
    out = []
    for k in steps:
        if k == "short" and uses_medium_list:
            continue  # the medium list is evaluated directly on the East Kent route
        n = sum(1 for r in reached if rank[r] >= rank[k])
        out.append(FunnelStep(k, LIST_LABELS[k], n))
    return out
