"""A Pareto front of mean travel time against the share within 30 minutes, exactly.

Epsilon-constraint method: minimise mean time subject to "at least s of admissions within
30 minutes" for a rising sequence of s, each point solved by the site-choice MILP. Every
point is optimal (within the MILP gap) for its s, so the front is the true one at those s.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from stpkit.stroke.errors import InfeasibleError, StrokeError
from stpkit.stroke.optimise import SiteProblem, solve_sites


@dataclass(frozen=True)
class FrontPoint:
    mean_minutes: float
    share_within_30: float
    open_units: tuple[int, ...]
    gap: float


def pareto_front(
    prob: SiteProblem,
    points: int = 6,
    time_budget: float = 120.0,
    depth: int = 12,
    step: float = 0.01,
) -> list[FrontPoint]:
    """Up to `points` non-dominated points from the unconstrained optimum towards the largest
    share reachable (targets `step` apart), sharing `time_budget` seconds."""
    start = time.perf_counter()
    per = time_budget / points
    first = solve_sites(replace(prob, min_share_within_30=0.0), depth=depth, time_limit=per)
    front = [
        FrontPoint(first.mean_minutes, first.share_within_30, tuple(first.open_units), first.gap)
    ]
    # rising targets, `step` apart, until one is infeasible
    targets = [
        first.share_within_30 + step * k
        for k in range(1, points)
        if first.share_within_30 + step * k < 1.0
    ]
    reached = first.share_within_30
    for i, s in enumerate(targets):
        left = time_budget - (time.perf_counter() - start)
        if left <= 1.0:
            break
        if s <= reached:
            continue  # the last point already reaches this share: it is the answer here too
        # targets past the largest reachable share are never solved: let each point take
        # up to three shares of the budget so a slow one still finishes proven
        limit = min(left, max(3 * per, left / (len(targets) - i)))
        try:
            sol = solve_sites(
                replace(prob, min_share_within_30=float(s)), depth=depth, time_limit=limit
            )
        except InfeasibleError:
            break  # no configuration reaches this share: the front ends here
        except StrokeError:
            continue  # no solution within its time: try the next target
        reached = sol.share_within_30
        front.append(
            FrontPoint(sol.mean_minutes, sol.share_within_30, tuple(sol.open_units), sol.gap)
        )
    return non_dominated(front)


def non_dominated(points: list[FrontPoint]) -> list[FrontPoint]:
    """Drop points another point beats on both (lower mean, higher share)."""
    out: list[FrontPoint] = []
    for a in points:
        dominated = any(
            (b.mean_minutes <= a.mean_minutes and b.share_within_30 >= a.share_within_30)
            and (b.mean_minutes < a.mean_minutes or b.share_within_30 > a.share_within_30)
            for b in points
        )
        if not dominated and all(
            (a.mean_minutes, a.share_within_30) != (o.mean_minutes, o.share_within_30) for o in out
        ):
            out.append(a)
    return sorted(out, key=lambda p: p.mean_minutes)


def hypervolume(points: list[tuple[float, float]], ref: tuple[float, float]) -> float:
    """2-D hypervolume of (mean minutes: minimise, share within 30: maximise) points against
    a reference point (worse on both), i.e. the area they dominate."""
    pts = sorted(
        {(m, s) for m, s in points if m < ref[0] and s > ref[1]}, key=lambda t: (t[0], -t[1])
    )
    area, best_share = 0.0, ref[1]
    for i, (m, s) in enumerate(pts):
        if s <= best_share:
            continue
        nxt = ref[0]
        # the strip from m to the next point with a higher share (or the reference)
        for m2, s2 in pts[i + 1 :]:
            if s2 > s:
                nxt = m2
                break
        area += (nxt - m) * (s - ref[1])
        best_share = s
    return area
