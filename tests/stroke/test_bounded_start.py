"""The bounded start: swaps priced exactly, bounds reached where the plain start breaks
them, and the best answer meeting the bounds reported with its proven gap when HiGHS has
no answer by the time limit."""

from __future__ import annotations

import numpy as np
import pytest

import stpkit.stroke.optimise as optimise
from stpkit.stroke.bounded_start import bounded_interchange
from stpkit.stroke.optimise import SiteProblem, evaluate_sites, greedy_sites, interchange


def _instance(seed: int, n: int = 300, m: int = 25) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    return np.linalg.norm(pts[:, None] - sites[None], axis=2), rng.uniform(1, 10, n)


def _violation(T: np.ndarray, w: np.ndarray, units: list[int], lo: float, hi: float) -> float:
    vol = evaluate_sites(T, w, units)["volumes"]
    assert isinstance(vol, np.ndarray)
    return float((np.maximum(lo - vol, 0) + np.maximum(vol - hi, 0)).sum())


@pytest.mark.parametrize("seed", range(6))
def test_violation_is_priced_exactly_and_never_grows(seed: int) -> None:
    T, w = _instance(seed)
    p = 7
    lo, hi = w.sum() / p * 0.85, w.sum() / p * 1.2
    start = interchange(T, w, greedy_sites(T, w, p))
    units, left = bounded_interchange(T, w, start, lo, hi)
    assert len(units) == p and len(set(units)) == p
    assert left == pytest.approx(_violation(T, w, units, lo, hi), abs=1e-6)
    assert left <= _violation(T, w, start, lo, hi) + 1e-9


def test_reaches_the_bounds_the_plain_start_breaks() -> None:
    T, w = _instance(11, n=400, m=30)
    p = 8
    lo = w.sum() / p * 0.7
    start = interchange(T, w, greedy_sites(T, w, p))
    units, left = bounded_interchange(T, w, start, lo, np.inf, keep_open=(start[0],))
    assert _violation(T, w, start, lo, np.inf) > 0 or left == 0
    assert left == 0.0 and _violation(T, w, units, lo, np.inf) == 0.0
    assert start[0] in units  # kept open as asked


def test_best_answer_meeting_bounds_when_highs_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    T, w = _instance(5, n=200, m=15)
    p, lo = 5, float(w.sum() / 5 * 0.6)
    prob = SiteProblem(T, w, [f"u{j}" for j in range(15)], p, lo)

    def no_answer(*args: object, **kwargs: object) -> tuple[str, None, float, int]:
        return "time limit reached", None, 1000.0, 1  # a proven bound but no point

    monkeypatch.setattr(optimise, "solve_milp", no_answer)
    sol = optimise.solve_sites(prob, time_limit=5.0)
    vols = np.array(list(sol.volumes.values()))
    assert len(sol.open_units) == p and (vols >= lo - 1e-6).all()
    assert "best found meeting the bounds" in sol.status
    assert sol.bound == 1000.0
    assert sol.gap == pytest.approx((sol.objective - 1000.0) / sol.objective)


def test_drop_start_closes_the_smallest_units_first() -> None:
    from stpkit.stroke.bounded_start import drop_start

    T, w = _instance(2, n=300, m=20)
    units = drop_start(T, w, 6, keep_open=(0,))
    assert len(units) == 6 and 0 in units
    # one step by hand: with every unit open, the smallest is the first one closed
    a = np.argmin(T, axis=1)
    vol = np.bincount(a, weights=w, minlength=20)
    vol[0] = np.inf
    assert int(np.argmin(vol)) not in drop_start(T, w, 19, keep_open=(0,))
