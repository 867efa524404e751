"""Volume cuts: each one checked by enumeration (every choice holding its pattern breaks
the bound), an answer that breaks a bound is always cut off, infeasibility comes with the
cuts that prove it, and the time limit gives the best answer meeting the bounds with its
proven gap."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from stpkit.stroke.errors import InfeasibleError
from stpkit.stroke.optimise import SiteProblem, evaluate_sites, solve_sites
from stpkit.stroke.volume_cuts import CutFinder, VolumeCut, disjoint_low_cuts


def _instance(seed: int, n: int = 60, m: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 50, (n, 2)), rng.uniform(0, 50, (m, 2))
    # whole minutes, so units tie as in the real matrix
    return np.round(np.linalg.norm(pts[:, None] - sites[None], axis=2)), rng.uniform(1, 9, n)


def _volume(T: np.ndarray, w: np.ndarray, units: list[int], j: int) -> float:
    vols = evaluate_sites(T, w, sorted(units))["volumes"]
    assert isinstance(vols, np.ndarray)
    return float(vols[sorted(units).index(j)])


def _check_by_enumeration(T: np.ndarray, w: np.ndarray, cut: VolumeCut, lo: float, hi: float):
    """Every choice of units that the cut forbids breaks the bound at the cut's unit."""
    m = T.shape[1]
    for r in range(1, m + 1):
        for combo in itertools.combinations(range(m), r):
            units = set(combo)
            if cut.holds(units):
                continue
            v = _volume(T, w, list(units), cut.unit)
            assert (v < lo) if cut.kind == "low" else (v > hi), (cut, combo, v)


@pytest.mark.parametrize("seed", range(5))
def test_every_cut_is_valid_and_cuts_off_the_answer(seed: int) -> None:
    T, w = _instance(seed)
    m = T.shape[1]
    lo, hi = w.sum() / 4 * 0.8, w.sum() / 4 * 1.3
    finder = CutFinder(T, w, lo, hi)
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(6):
        units = sorted(int(u) for u in rng.choice(m, 4, replace=False))
        vols = evaluate_sites(T, w, units)["volumes"]
        assert isinstance(vols, np.ndarray)
        cuts = finder.cuts_for(units)
        broken = {u for u, v in zip(units, vols, strict=True) if v < lo or v > hi}
        # every open unit off its bounds yields a cut this answer breaks
        assert broken == {c.unit for c in cuts if not c.holds(set(units))}
        for c in cuts:
            v_claimed = _volume(T, w, [c.unit, *c.others], c.unit) if c.kind == "low" else None
            if v_claimed is not None:
                assert c.volume == pytest.approx(v_claimed)
            _check_by_enumeration(T, w, c, lo, hi)
            checked += 1
    assert checked > 0


def test_infeasible_with_the_cuts_that_prove_it() -> None:
    # two clusters of LSOAs far apart and four units: any 3 open units put two in one
    # cluster, and the cluster's split leaves one of them under the floor
    rng = np.random.default_rng(4)
    a = rng.uniform(0, 5, (20, 2))
    b = rng.uniform(0, 5, (20, 2)) + 100
    pts = np.vstack([a, b])
    sites = np.array([[1.0, 1.0], [4.0, 4.0], [101.0, 101.0], [104.0, 104.0]])
    T = np.round(np.linalg.norm(pts[:, None] - sites[None], axis=2))
    w = np.ones(40)
    prob = SiteProblem(T, w, ["a1", "a2", "b1", "b2"], 3, 12.0)
    prob.check()  # 3 x 12 = 36 <= 40 admissions: the totals alone allow it
    for combo in itertools.combinations(range(4), 3):  # enumeration agrees: none meets it
        vols = evaluate_sites(T, w, list(combo))["volumes"]
        assert isinstance(vols, np.ndarray)
        assert vols.min() < 12.0
    with pytest.raises(InfeasibleError, match="Proof: each of these") as err:
        solve_sites(prob, time_limit=20)
    cuts = err.value.cuts  # type: ignore[attr-defined]
    assert cuts and all(c.kind == "low" for c in cuts)
    for c in cuts:
        _check_by_enumeration(T, w, c, 12.0, np.inf)
    # the hand proof: cuts with no unit in common each need a unit of their own closed
    packing = disjoint_low_cuts(cuts)
    used = [u for c in packing for u in (c.unit, *c.others)]
    assert len(used) == len(set(used))


def test_time_limit_gives_the_best_answer_meeting_the_bounds_with_its_gap() -> None:
    rng = np.random.default_rng(9)
    n, m = 3000, 60
    pts, sites = rng.uniform(0, 300, (n, 2)), rng.uniform(0, 300, (m, 2))
    T = np.round(np.linalg.norm(pts[:, None] - sites[None], axis=2))
    w = rng.uniform(1, 9, n)
    lo = float(w.sum() / 30 * 0.3)  # loose: HiGHS's first answers meet it
    prob = SiteProblem(T, w, [f"u{j}" for j in range(m)], 30, lo)
    sol = solve_sites(prob, time_limit=1.0, mip_gap=0.0)
    vols = np.array(list(sol.volumes.values()))
    assert len(sol.open_units) == 30 and (vols >= lo - 1e-6).all()
    # the answer is the best met so far, its gap against the last proven bound
    assert sol.bound <= sol.objective + 1e-6
    assert sol.gap == pytest.approx((sol.objective - sol.bound) / sol.objective)
    if sol.status != "optimal":
        assert "best found meeting the bounds" in sol.status and "time limit" in sol.status
    else:
        assert sol.gap <= 1e-9
