"""The site-choice MILP equals brute force on small instances, volumes and all."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stpkit.stroke.errors import InfeasibleError, StrokeError
from stpkit.stroke.optimise import (
    SiteProblem,
    evaluate_sites,
    greedy_sites,
    interchange,
    solve_sites,
)


def brute_force(prob: SiteProblem) -> float | None:
    best = None
    m = prob.minutes.shape[1]
    free = [j for j in range(m) if j not in prob.fixed_open]
    for combo in itertools.combinations(free, prob.p):
        if not set(prob.must_open) <= set(combo):
            continue
        units = sorted([*combo, *prob.fixed_open])
        ev = evaluate_sites(prob.minutes, prob.admissions, units)
        vol = ev["volumes"]
        assert isinstance(vol, np.ndarray)
        bounded = np.array([j not in prob.fixed_open for j in units])
        if (vol[bounded] < prob.min_volume - 1e-6).any() or (
            vol[bounded] > prob.max_volume + 1e-6
        ).any():
            continue
        if float(ev["within_30"]) < prob.min_share_within_30 - 1e-9:  # type: ignore[arg-type]
            continue
        obj = float(ev["objective"])  # type: ignore[arg-type]
        best = obj if best is None or obj < best else best
    return best


@st.composite
def problems(draw: st.DrawFn) -> SiteProblem:
    n = draw(st.integers(3, 14))
    m = draw(st.integers(2, 6))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 60, size=(n, 2))
    sites = rng.uniform(0, 60, size=(m, 2))
    # integer minutes: ties between units happen, as in the real matrix
    minutes = np.round(np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)))
    w = rng.integers(1, 20, size=n).astype(float)
    p = draw(st.integers(1, m))
    lo = draw(st.sampled_from([0.0, 0.5, 1.0])) * w.sum() / p * 0.6
    hi = draw(st.sampled_from([np.inf, 1.5, 2.5])) * w.sum() / p
    share = draw(st.sampled_from([0.0, 0.3]))
    # sometimes the last unit is always open on top of the p, with no volume bounds
    fixed = (m - 1,) if p < m and draw(st.booleans()) else ()
    must = tuple(draw(st.sets(st.integers(0, m - 1 - len(fixed)), max_size=min(p, 2))))
    return SiteProblem(
        np.asarray(minutes), w, [f"u{j}" for j in range(m)], p, lo, hi, share, must, fixed
    )


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from([1, 2, 10]))
def test_milp_equals_brute_force(prob: SiteProblem, depth: int) -> None:
    expected = brute_force(prob)
    try:
        prob.check()
        sol = solve_sites(prob, depth=depth, mip_gap=0.0, time_limit=30)
    except InfeasibleError:
        assert expected is None
        return
    assert expected is not None
    assert sol.objective == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert sol.gap <= 1e-6
    vols = [
        v
        for j, v in zip(sol.open_units, sol.volumes.values(), strict=True)
        if j not in prob.fixed_open
    ]
    assert min(vols) >= prob.min_volume - 1e-6 and max(vols) <= prob.max_volume + 1e-6
    assert set(prob.must_open) | set(prob.fixed_open) <= set(sol.open_units)
    assert len(sol.open_units) == prob.p + len(prob.fixed_open)


def test_interchange_reaches_a_swap_local_optimum() -> None:
    rng = np.random.default_rng(7)
    xy, sites = rng.uniform(0, 60, size=(80, 2)), rng.uniform(0, 60, size=(9, 2))
    minutes = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    w = rng.integers(1, 20, size=80).astype(float)

    def cost(units: list[int]) -> float:
        return float(w @ minutes[:, units].min(axis=1))

    start = greedy_sites(minutes, w, 3, must_open=(8,))
    best = interchange(minutes, w, start, must_open=(8,))
    assert 8 in best and len(best) == 3 and cost(best) <= cost(start)
    for out in best:
        for add in set(range(9)) - set(best):
            if out != 8:
                swapped = [u for u in best if u != out] + [add]
                assert cost(swapped) >= cost(best) - 1e-9


def test_impossible_bounds_say_why() -> None:
    prob = SiteProblem(np.ones((3, 3)), np.array([10.0, 10.0, 10.0]), ["a", "b", "c"], 2, 20.0)
    with pytest.raises(InfeasibleError, match=r"2 units x at least 20 admissions = 40, more"):
        solve_sites(prob)
    prob = SiteProblem(np.ones((3, 3)), np.array([10.0, 10.0, 10.0]), ["a", "b", "c"], 4)
    with pytest.raises(InfeasibleError, match="p = 4 but there are 3 candidate units"):
        solve_sites(prob)
    # feasible totals, but nearest-unit assignment cannot give both units 10+ admissions:
    # every LSOA is nearest to unit a
    minutes = np.array([[1.0, 9.0], [1.0, 9.0], [1.0, 9.0]])
    prob = SiteProblem(minutes, np.array([10.0, 10.0, 10.0]), ["a", "b"], 2, 10.0)
    with pytest.raises(InfeasibleError, match="nearest open unit"):
        solve_sites(prob)


@settings(max_examples=30, deadline=None)
@given(problems())
def test_fallback_plain_radius_model_equals_brute_force(prob: SiteProblem) -> None:
    """The model solve_sites falls back to (every unit bounded, every z exact, full depth)
    gives the brute-force optimum on its own."""
    from stpkit.stroke.milp import solve_milp

    expected = brute_force(prob)
    try:
        prob.check()
    except InfeasibleError:
        assert expected is None
        return
    inner = replace(
        prob, p=prob.p + len(prob.fixed_open), must_open=(*prob.must_open, *prob.fixed_open)
    )
    T, w = prob.minutes, prob.admissions
    n, m = T.shape
    order = np.argsort(T, axis=1, kind="stable")
    bounded = np.array([j not in prob.fixed_open for j in range(m)])
    status, y, _, _ = solve_milp(
        inner,
        T,
        w,
        order,
        np.take_along_axis(T, order, axis=1),
        np.full(n, m),
        30.0,
        0.0,
        2,  # HiGHS fixes its thread pool on first use: keep the count solve_sites uses
        bounded,
        None,
        True,
    )
    if expected is None:
        assert status == "infeasible"
        return
    assert y is not None
    units = [j for j in range(m) if y[j] > 0.5]
    objective = float(evaluate_sites(T, w, units)["objective"])  # type: ignore[arg-type]
    assert objective == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_solves_with_different_thread_counts_in_one_process() -> None:
    """HiGHS sizes one process-wide thread pool on first use; later solves asking for
    another count must still solve (they used to fail with model status 'not set')."""
    rng = np.random.default_rng(3)
    minutes = np.round(rng.uniform(5, 60, size=(30, 6)))
    w = rng.integers(1, 20, size=30).astype(float)
    prob = SiteProblem(minutes, w, [f"u{j}" for j in range(6)], 3, 0.0, w.sum() / 2)
    best = brute_force(prob)
    assert best is not None
    for threads in (1, 2, 1, 3):
        sol = solve_sites(prob, threads=threads, time_limit=20)
        assert sol.proven, (threads, sol.status)
        assert sol.objective == pytest.approx(best, rel=1e-6), threads
    with pytest.raises(StrokeError, match="threads must be a whole number >= 0"):
        solve_sites(prob, threads=-1)
