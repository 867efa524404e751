"""The exact front: every point is non-dominated among all p-subsets; hypervolume by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from stpkit.stroke.optimise import SiteProblem, evaluate_sites
from stpkit.stroke.pareto import hypervolume, pareto_front


def test_front_points_are_pareto_optimal() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 80, size=(40, 2))
    sites = rng.uniform(0, 80, size=(7, 2))
    minutes = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    w = rng.integers(1, 10, size=40).astype(float)
    prob = SiteProblem(minutes, w, [f"u{j}" for j in range(7)], 3)
    front = pareto_front(prob, points=8, time_budget=60.0)
    assert front
    every = []
    for combo in itertools.combinations(range(7), 3):
        ev = evaluate_sites(minutes, w, list(combo))
        every.append((float(ev["mean"]), float(ev["within_30"])))  # type: ignore[arg-type]
    for q in front:
        assert not any(
            (m <= q.mean_minutes - 1e-9 and s >= q.share_within_30)
            or (m <= q.mean_minutes and s >= q.share_within_30 + 1e-9)
            for m, s in every
        )
    assert front[0].mean_minutes == pytest.approx(min(m for m, _ in every))


def test_hypervolume_by_hand() -> None:
    # union of [1,3]x[0,0.5] and [2,3]x[0,0.8] = 1.0 + 0.8 - 0.5
    assert hypervolume([(1, 0.5), (2, 0.8)], (3, 0)) == pytest.approx(1.3)
    assert hypervolume([(1, 0.5), (2, 0.4)], (3, 0)) == pytest.approx(1.0)  # dominated point
    assert hypervolume([(4, 0.9)], (3, 0)) == 0.0  # worse than the reference
