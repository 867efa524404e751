"""Switching values for every pair of options, checked against the totals themselves."""

from __future__ import annotations

import numpy as np
import pytest

from stpkit.appraisal import Criterion, Option, evaluate, monte_carlo, pairwise_switching


def _evaluation():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    options = [
        Option(f"O{i}", {"x": float(v[0]), "y": float(v[1]), "z": float(v[2])})
        for i, v in enumerate(rng.uniform(0, 10, size=(6, 3)))
    ]
    criteria = [
        Criterion("X", "x", 50),
        Criterion("Y", "y", 30, "lower"),
        Criterion("Z", "z", 20),
    ]
    return evaluate(options, criteria)


def _reweight(w: np.ndarray, k: int, t: float) -> np.ndarray:
    out = w * (1 - t) / (1 - w[k])
    out[k] = t
    return out


def test_every_pair_swaps_exactly_where_stated() -> None:
    ev = _evaluation()
    pairs = pairwise_switching(ev)
    assert len(pairs) == 15 * 3
    index = {o.name: i for i, o in enumerate(ev.options)}
    for p in pairs:
        hi, lo = index[p.above], index[p.below]
        assert ev.totals[hi] >= ev.totals[lo] - 1e-9
        k = [c.name for c in ev.criteria].index(p.criterion)
        grid = np.linspace(0, 1, 2001)
        diff = np.array(
            [
                ev.scores[hi] @ _reweight(ev.weights, k, t)
                - ev.scores[lo] @ _reweight(ev.weights, k, t)
                for t in grid
            ]
        )
        if p.switch_share is None:
            # no weight on this criterion puts the lower option above
            assert (diff >= -1e-7).all(), p
        else:
            t = p.switch_share
            at = ev.scores[hi] @ _reweight(ev.weights, k, t) - ev.scores[lo] @ _reweight(
                ev.weights, k, t
            )
            assert at == pytest.approx(0.0, abs=1e-7)
            beyond = min(1.0, t + 0.01) if t >= p.current_share else max(0.0, t - 0.01)
            after = ev.scores[hi] @ _reweight(ev.weights, k, beyond) - ev.scores[lo] @ _reweight(
                ev.weights, k, beyond
            )
            assert after <= 1e-9, p
            assert "overtakes" in p.describe()


def test_monte_carlo_ranking_orders_by_mean_rank() -> None:
    ev = _evaluation()
    mc = monte_carlo(ev, draws=500, seed=1)
    ranking = mc.ranking()
    assert [r[0] for r in ranking] == sorted(
        mc.mean_rank, key=lambda n: (mc.mean_rank[n], -mc.first_share[n])
    )
    assert ranking[0][2] == mc.first_share[ranking[0][0]]
    assert len(ranking) == 6
