"""Two tiers (HASUs and thrombectomy centres chosen together) equal enumeration of every
choice on small instances: both nearest-unit rules, the volume bounds and the optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from stpkit.stroke.errors import InfeasibleError
from stpkit.stroke.two_tier import TwoTierProblem, evaluate_two_tier, solve_two_tier


def _instance(seed: int, n: int = 14, m: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 60, (n, 2)), rng.uniform(0, 60, (m, 2))
    T = np.round(np.linalg.norm(pts[:, None] - sites[None], axis=2))
    X = np.round(np.linalg.norm(sites[:, None] - sites[None], axis=2) * 1.2)
    return T, rng.integers(1, 20, n).astype(float), X


def enumerate_best(prob: TwoTierProblem) -> float | None:
    m = prob.minutes.shape[1]
    free = [j for j in range(m) if j not in prob.fixed_open]
    best = None
    for hasus in itertools.combinations(free, prob.p):
        for mt in itertools.combinations([c for c in prob.candidates() if c in hasus], prob.q):
            obj, _, _, vol, mt_vol, _ = evaluate_two_tier(prob, list(hasus), list(mt))
            if any(not prob.min_volume - 1e-6 <= vol[h] <= prob.max_volume + 1e-6 for h in hasus):
                continue
            if any(v < prob.min_mt_volume - 1e-6 for v in mt_vol.values()):
                continue
            best = obj if best is None or obj < best else best
    return best


@pytest.mark.parametrize("seed", range(8))
def test_two_tier_equals_enumeration(seed: int) -> None:
    T, w, X = _instance(seed)
    rng = np.random.default_rng(100 + seed)
    p = int(rng.integers(2, 5))
    q = int(rng.integers(1, p + 1))
    fixed = (4,) if seed % 2 else ()
    prob = TwoTierProblem(
        T,
        w,
        X,
        [f"u{j}" for j in range(5)],
        min(p, 5 - len(fixed)),
        min(q, 4 - len(fixed)),
        mt_candidates=(0, 1, 2, 3) if seed % 3 else (),
        min_volume=float(w.sum() / 6),
        max_volume=float(w.sum() * 0.7) if seed % 4 else np.inf,
        min_mt_volume=float(w.sum() / 5) if seed % 2 == 0 else 0.0,
        fixed_open=fixed,
        fixed_onward=np.full(len(w), 150.0) if fixed else None,
        share_mt=0.3,  # large, so that the MT term moves the choice
    )
    expected = enumerate_best(prob)
    if expected is None:
        with pytest.raises(InfeasibleError):
            solve_two_tier(prob, mip_gap=0.0, time_limit=30)
        return
    sol = solve_two_tier(prob, mip_gap=0.0, time_limit=30)
    assert sol.objective == pytest.approx(expected, rel=1e-6)
    assert sol.gap <= 1e-6 and sol.status == "optimal"
    assert set(sol.mt_centres) <= set(sol.hasus) and len(sol.mt_centres) == prob.q
    for h in sol.hasus:
        assert prob.min_volume - 1e-6 <= sol.volumes[h] <= prob.max_volume + 1e-6
        # drip and ship to the nearest MT centre by transfer time
        assert X[h, sol.sends_to[h]] == min(X[h, c] for c in sol.mt_centres)


def test_the_thrombectomy_term_moves_the_choice() -> None:
    """Two HASUs, one MT centre: with no thrombectomy weight the choice is the plain
    p-median; with a large one the MT centre moves to where its transfers are shortest."""
    T, w, X = _instance(3)
    base = TwoTierProblem(T, w, X, [f"u{j}" for j in range(5)], 2, 1, share_mt=0.0)
    heavy = TwoTierProblem(T, w, X, [f"u{j}" for j in range(5)], 2, 1, share_mt=5.0)
    a, b = solve_two_tier(base, mip_gap=0.0), solve_two_tier(heavy, mip_gap=0.0)
    assert a.objective == pytest.approx(enumerate_best(base))
    assert b.objective == pytest.approx(enumerate_best(heavy))
    assert b.mean_to_puncture <= a.mean_to_puncture + 1e-9
