"""Stroke model figures: the Kent and Medway long list, and England site choice by MILP."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
from _figures import figure, timed

from stpkit.reference import get_reference
from stpkit.stroke import (
    FrontPoint,
    SiteProblem,
    StrokeModel,
    england_problem,
    evaluate_sites,
    hypervolume,
    load_geography,
    long_list,
    non_dominated,
    pareto_front,
    solve_sites,
)
from stpkit.stroke.business_case import BusinessCaseModel
from stpkit.stroke.errors import StrokeError

# Volume bounds for England: at least 250 and at most 8,000 admissions a year per open unit.
MIN_VOLUME, MAX_VOLUME = 250.0, 8000.0
FRONT_P, FRONT_SECONDS = 60, 90.0


def nsga2_front(prob: SiteProblem, seconds: float, seed: int = 1) -> list[FrontPoint]:
    """pymoo NSGA-II on the same problem (exactly p units, nearest-unit assignment, volume
    bounds as constraints), stopped after the same wall time as our front."""
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.crossover import Crossover
    from pymoo.core.mutation import Mutation
    from pymoo.core.problem import Problem
    from pymoo.core.sampling import Sampling
    from pymoo.optimize import minimize
    from pymoo.termination import get_termination

    T, w, p = prob.minutes, prob.admissions, prob.p
    m = T.shape[1]

    class Sites(Problem):
        def __init__(self) -> None:
            super().__init__(n_var=m, n_obj=2, n_ieq_constr=2, xl=0, xu=1, vtype=bool)

        def _evaluate(self, x, out, *args, **kwargs):  # type: ignore[no-untyped-def]
            f, g = [], []
            for row in x:
                idx = np.nonzero(row)[0]
                sub = T[:, idx]
                j = np.argmin(sub, axis=1)
                t = sub[np.arange(len(w)), j]
                vol = np.bincount(j, weights=w, minlength=len(idx))
                f.append([w @ t / w.sum(), -(w[t <= 30].sum() / w.sum())])
                g.append([MIN_VOLUME - vol.min(), vol.max() - MAX_VOLUME])
            out["F"] = np.array(f)
            out["G"] = np.array(g)

    class PSubsets(Sampling):
        def _do(self, problem, n_samples, **kwargs):  # type: ignore[no-untyped-def]
            rng = np.random.default_rng(seed)
            x = np.zeros((n_samples, m), dtype=bool)
            for i in range(n_samples):
                x[i, rng.choice(m, p, replace=False)] = True
            return x

    class UnionCrossover(Crossover):
        def __init__(self) -> None:
            super().__init__(2, 1)

        def _do(self, problem, x, **kwargs):  # type: ignore[no-untyped-def]
            _, n_matings, _ = x.shape
            out = np.zeros((1, n_matings, m), dtype=bool)
            rng = np.random.default_rng()
            for k in range(n_matings):
                a, b = x[0, k], x[1, k]
                both = np.nonzero(a & b)[0]
                either = np.nonzero(a ^ b)[0]
                pick = rng.choice(either, p - len(both), replace=False)
                out[0, k, both] = True
                out[0, k, pick] = True
            return out

    class SwapMutation(Mutation):
        def _do(self, problem, x, **kwargs):  # type: ignore[no-untyped-def]
            rng = np.random.default_rng()
            for row in x:
                if rng.random() < 0.5:
                    on, off = np.nonzero(row)[0], np.nonzero(~row)[0]
                    row[rng.choice(on)] = False
                    row[rng.choice(off)] = True
            return x

    algo = NSGA2(
        pop_size=60,
        sampling=PSubsets(),
        crossover=UnionCrossover(),
        mutation=SwapMutation(),
        eliminate_duplicates=True,
    )
    res = minimize(Sites(), algo, get_termination("time", seconds), seed=seed, verbose=False)
    # the final population's feasible members (volume bounds met), non-dominated
    F, G, X = res.pop.get("F"), res.pop.get("G"), res.pop.get("X")
    ok = (G <= 0).all(axis=1)
    pts = [
        FrontPoint(float(f[0]), float(-f[1]), tuple(np.nonzero(x)[0].tolist()), float("nan"))
        for f, x in zip(F[ok], X[ok], strict=True)
    ]
    return non_dominated(pts)


# Allen et al., BMJ Open 2017 (doi:10.1136/bmjopen-2016-016963): with every unit at least
# 600 admissions a year, England can have at most 85 units, with 82% of patients within 30
# minutes of their nearest unit (their figure for the largest configuration meeting it).
ALLEN_MAX_UNITS, ALLEN_SHARE_30 = 85, 0.82


def england_min600(ref: object, limit: float = 60.0) -> None:
    """England, every open unit >= 600 admissions a year, p = 50, 75, 85, and the most
    units that can all reach 600 (Allen et al.'s "at most 85")."""
    from stpkit.stroke import most_units
    from stpkit.stroke.errors import InfeasibleError

    base = england_problem(ref, 50, 600.0)
    n, m = base.minutes.shape
    print(
        f"# England: {n:,} LSOAs ({base.admissions.sum():,.0f} admissions a year) x {m} "
        "candidate units (those with a travel-matrix column); patients go to their nearest "
        "open unit (closest assignment, as in Allen et al.)"
    )
    with timed() as t:
        most, most_cuts, proven = most_units(base.minutes, base.admissions, 600.0, limit)
    if most:
        ev = evaluate_sites(base.minutes, base.admissions, most)
        print(
            f"# min 600: at most {len(most)} units can all have 600+ admissions "
            f"({'proven' if proven else 'not proven'}, {len(most_cuts)} cuts, {t[0]:.1f} s): "
            f"mean {ev['mean']:.2f} min, {ev['within_30']:.1%} within 30 min "
            f"(Allen et al. 2017, 127 candidate units: at most {ALLEN_MAX_UNITS}, "
            f"{ALLEN_SHARE_30:.0%} within 30 min)"
        )
    for p in (50, 75, 85):
        began = time.perf_counter()
        try:
            sol = solve_sites(replace(base, p=p), depth=12, time_limit=limit, mip_gap=5e-4)
        except InfeasibleError as exc:
            took = time.perf_counter() - began
            print(f"# min 600, p={p}: {exc} ({took:.1f} s)")
            names = list(exc.unit_names)  # type: ignore[attr-defined]
            for c in exc.cuts:  # type: ignore[attr-defined]
                print(f"#   - {c.describe(names, 600.0, float('inf'))}")
            figure(f"stroke.england_min600_p{p}", took, "s")  # time to prove it infeasible
            continue
        except StrokeError as exc:
            print(f"# min 600, p={p}: no answer meeting the bounds: {exc}")
            continue
        vols = sol.volumes.values()
        print(
            f"# min 600, p={p}: {sol.status}, "
            f"{'proven within 0.1%' if sol.proven else 'NOT proven within 0.1%'}, "
            f"mean {sol.mean_minutes:.2f} min, {sol.share_within_30:.1%} within 30 min "
            f"(Allen et al. 2017: at most {ALLEN_MAX_UNITS} units, "
            f"{ALLEN_SHARE_30:.0%} within 30 min), objective {sol.objective:,.1f}, bound "
            f"{sol.bound:,.1f}, gap {sol.gap:.3%}, {sol.seconds:.1f} s, {sol.rounds} rounds, "
            f"{sol.cuts} volume cuts, unit volumes {min(vols):,.0f}-{max(vols):,.0f}"
        )
        figure(f"stroke.england_min600_p{p}", sol.seconds, "s")
        figure(f"stroke.england_min600_p{p}_gap", sol.gap * 100.0, "%")


def main() -> None:
    ref = get_reference()
    geo = load_geography(ref, "Kent and Medway")  # cached geography; times below exclude it
    err = geo.model_errors
    print(
        f"# travel-time model, held-out units: MAE {err.mae_minutes.mean():.2f} min "
        f"(worst {err.mae_minutes.max():.2f}), RMSE {err.rmse_minutes.mean():.2f} min"
    )
    with timed() as t:
        model = StrokeModel(geo)  # stroke-outcome for every (LSOA, unit, HASU/MT) pair
        results = long_list(model, range(1, geo.k + 1))
        # beds and staff (Erlang loss), capital, revenue and net present cost, and the
        # equality figures (IMD quintile, age band, LSOAs losing most) for every option;
        # their data frames are built only for what is written (the short list)
        business = BusinessCaseModel(model)
        cases = [business.case(r) for r in [*results, model.today]]
        figures = [c.metrics() for c in cases]
        tables = [c.equality() for c in cases]
    assert len(results) == 127 and len(figures) == len(tables) == 128
    print(
        "# Kent and Medway long list: 127 configurations and today, each with outcomes, "
        "beds, staff, cost (capital, revenue, NPC) and equality figures"
    )
    figure("stroke.km_longlist", t[0], "s")
    if "km" in sys.argv[1:]:
        return

    if "min600" in sys.argv[1:]:
        england_min600(ref)
        return

    with timed() as t:
        base = england_problem(ref, 20, MIN_VOLUME, MAX_VOLUME)
    n, m = base.minutes.shape
    print(
        f"# England: {n:,} LSOAs with admissions ({base.admissions.sum():,.0f} a year) x {m} "
        f"units; volume bounds {MIN_VOLUME:,.0f}-{MAX_VOLUME:,.0f}; loading took {t[0]:.1f} s "
        "(not in the solve times)"
    )
    for p in (20, 40, 60, 80):
        prob = replace(base, p=p)
        sol = solve_sites(prob, depth=12, time_limit=60.0, mip_gap=5e-4)
        vols = sol.volumes.values()
        print(
            f"# p={p}: {sol.status}, {'proven within 0.1%' if sol.proven else 'NOT proven'}, "
            f"mean {sol.mean_minutes:.2f} min, {sol.share_within_30:.1%} within 30 min, "
            f"objective {sol.objective:,.1f}, bound {sol.bound:,.1f}, gap {sol.gap:.4%}, "
            f"{sol.seconds:.1f} s, {sol.set_variables} set variables, {sol.rounds} round(s), "
            f"unit volumes {min(vols):,.0f}-{max(vols):,.0f}"
        )
        figure(f"stroke.england_p{p}", sol.seconds, "s")
        figure(f"stroke.england_p{p}_gap", sol.gap * 100.0, "%")

    prob = replace(base, p=FRONT_P)
    with timed() as t:
        ours = pareto_front(prob, points=16, time_budget=FRONT_SECONDS, step=0.0025)
    # NSGA-II gets the whole budget, even when our front finished sooner
    theirs = nsga2_front(prob, seconds=max(FRONT_SECONDS, t[0]))
    pts = [(q.mean_minutes, q.share_within_30) for q in [*ours, *theirs]]
    ref_point = (max(m for m, _ in pts) * 1.05, min(s for _, s in pts) * 0.95)
    for name, front, secs in (
        ("ours", ours, t[0]),
        ("nsga2", theirs, max(FRONT_SECONDS, t[0])),
    ):
        shown = ", ".join(
            f"({q.mean_minutes:.2f} min, {q.share_within_30:.3f}"
            + (f", gap {q.gap:.3%})" if q.gap == q.gap else ")")
            for q in front
        )
        print(f"# front {name} (p={FRONT_P}, {secs:.0f} s, {len(front)} points): {shown}")
    dominated = sum(
        any(
            o.mean_minutes <= q.mean_minutes and o.share_within_30 >= q.share_within_30
            for o in ours
        )
        for q in theirs
    )
    print(f"# NSGA-II points weakly dominated by our front: {dominated} of {len(theirs)}")
    print(f"# hypervolume reference point: mean {ref_point[0]:.2f} min, share {ref_point[1]:.3f}")
    figure(
        "stroke.hv_ours",
        hypervolume([(q.mean_minutes, q.share_within_30) for q in ours], ref_point),
        "-",
    )
    figure(
        "stroke.hv_nsga2",
        hypervolume([(q.mean_minutes, q.share_within_30) for q in theirs], ref_point),
        "-",
    )


if __name__ == "__main__":
    main()
