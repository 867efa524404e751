"""Choose p stroke units for a region or all of England, exactly, as a MILP with HiGHS.

Problem: open p of the candidate units; every LSOA's patients go to their nearest open unit
(closest assignment, not a solver's choice); each open unit's admissions must lie within
[min_volume, max_volume]; minimise the admissions-weighted travel time (optionally with at
least a given share of admissions within 30 minutes, for a Pareto front).

Formulation (the radius formulation of Elloumi 2010 / Garcia, Labbe and Marin 2011, with
exact aggregation): sort each LSOA's units by time. For the set S of its k nearest units,
z_S = 1 exactly when no unit of S is open (z_S = z_parent x (1 - y_j), linearised with
three rows). The LSOA's time is D_1 + sum_k (D_{k+1} - D_k) z_{S_k}, and its admissions go
to the k-th unit exactly when z_{S_(k-1)} - z_{S_k} = 1, which gives the unit volumes under
closest assignment without any assignment variable. z depends only on the *set* S, so every
LSOA whose k nearest units form the same set shares one variable: England's 32,494 LSOAs x
25 depths collapse to ~20,000 set variables. No approximation is made.

Volume bounds are not rows of this model: they come as cuts on the units alone
(`stpkit.stroke.volume_cuts`), added round by round while an answer breaks one.

Depth: each LSOA starts with its `depth` nearest units. Beyond the last one the model is a
relaxation (the extra time is charged at its lower bound D_{K+1} - D_K), so every bound
HiGHS proves is a bound on the true optimum; if an answer leaves an LSOA with none of its
listed units open, that LSOA's depth is doubled and the model solved again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse

from stpkit.stroke.bounded_start import bounded_interchange, drop_start
from stpkit.stroke.errors import InfeasibleError, StrokeError
from stpkit.stroke.milp import set_ids, solve_milp
from stpkit.stroke.volume_cuts import CutFinder, VolumeCut, disjoint_low_cuts


@dataclass(frozen=True)
class SiteProblem:
    minutes: np.ndarray  # (n LSOAs, m units)
    admissions: np.ndarray  # (n,)
    unit_names: list[str]
    p: int
    min_volume: float = 0.0
    max_volume: float = float("inf")
    min_share_within_30: float = 0.0
    must_open: tuple[int, ...] = ()  # among the p
    # always open on top of the p, with no volume bounds (e.g. units outside a region)
    fixed_open: tuple[int, ...] = ()
    # units whose times are estimated (no matrix column), and the estimate's held-out error
    estimated: tuple[int, ...] = ()
    estimate_mae_minutes: float = float("nan")

    def check(self) -> None:
        m = self.minutes.shape[1] - len(self.fixed_open)
        total = float(self.admissions.sum())
        if not 1 <= self.p <= m:
            raise InfeasibleError(f"Infeasible: p = {self.p} but there are {m} candidate units")
        if set(self.must_open) & set(self.fixed_open) or len(set(self.must_open)) > self.p:
            raise InfeasibleError(
                f"Infeasible: {len(set(self.must_open))} units must open but p = {self.p}"
                if len(set(self.must_open)) > self.p
                else "A unit cannot be both a candidate that must open and a fixed one"
            )
        if self.min_volume > self.max_volume:
            raise InfeasibleError(
                f"Infeasible: minimum volume {self.min_volume:,.0f} is above the maximum "
                f"{self.max_volume:,.0f}"
            )
        if self.p * self.min_volume > total + 1e-6:
            raise InfeasibleError(
                f"Infeasible: {self.p} units x at least {self.min_volume:,.0f} admissions = "
                f"{self.p * self.min_volume:,.0f}, more than the {total:,.0f} admissions a year"
            )
        if not self.fixed_open and self.p * self.max_volume < total - 1e-6:
            raise InfeasibleError(
                f"Infeasible: {self.p} units x at most {self.max_volume:,.0f} admissions = "
                f"{self.p * self.max_volume:,.0f}, fewer than the {total:,.0f} admissions a year"
            )
        if np.isnan(self.minutes).any():
            raise StrokeError("The travel-time matrix has missing values")


@dataclass
class SiteSolution:
    open_units: list[int]
    objective: float  # admissions-weighted minutes (sum)
    bound: float  # proven lower bound on the optimum
    gap: float  # (objective - bound) / objective
    seconds: float
    rounds: int
    set_variables: int
    mean_minutes: float
    share_within_30: float
    volumes: dict[str, float] = field(default_factory=dict)
    status: str = ""
    cuts: int = 0  # volume cuts the answer needed (0 without volume bounds)

    @property
    def proven(self) -> bool:
        return self.gap <= 1e-3 + 1e-9


def evaluate_sites(minutes: np.ndarray, w: np.ndarray, open_units: list[int]) -> dict[str, object]:
    """Closest assignment of LSOAs to these units: objective, mean, share within 30, volumes."""
    sub = minutes[:, open_units]
    j = np.argmin(sub, axis=1)
    t = sub[np.arange(len(w)), j]
    vol = np.bincount(j, weights=w, minlength=len(open_units))
    return {
        "objective": float(w @ t),
        "mean": float(w @ t / w.sum()),
        "within_30": float(w[t <= 30].sum() / w.sum()),
        "volumes": vol,
    }


def greedy_sites(
    T: np.ndarray, w: np.ndarray, p: int, must_open: tuple[int, ...] = ()
) -> list[int]:
    """Add, p times, the unit that most lowers weighted time (a start for the solver only)."""
    n = T.shape[0]
    chosen = list(must_open)
    best = T[:, chosen].min(axis=1) if chosen else np.full(n, np.inf)
    while len(chosen) < p:
        totals = w @ np.minimum(best[:, None], T)  # weighted time if each unit were added
        totals[chosen] = np.inf
        j = int(np.argmin(totals))
        chosen.append(j)
        best = np.minimum(best, T[:, j])
    return sorted(chosen)


def interchange(
    T: np.ndarray,
    w: np.ndarray,
    sites: list[int],
    must_open: tuple[int, ...] = (),
    max_swaps: int = 500,
) -> list[int]:
    """Teitz-Bart interchange: swap an open unit for a closed one while weighted time falls
    (best swap each pass, all swaps priced at once). An upper bound for the solver only."""
    n = T.shape[0]
    chosen = sorted(sites)
    rows = np.arange(n)
    fixed = set(must_open)
    for _ in range(max_swaps):
        sub = T[:, chosen]
        a = np.argmin(sub, axis=1)
        d1 = sub[rows, a]
        d2 = np.partition(sub, 1, axis=1)[:, 1] if len(chosen) > 1 else np.full(n, np.inf)
        m1 = np.minimum(d1[:, None], T)
        base = w @ m1  # (m,): open j, close nothing
        owner = sparse.csr_matrix((w, (a, rows)), shape=(len(chosen), n))
        cost = base[None, :] + owner @ (np.minimum(d2[:, None], T) - m1)  # close r, open j
        cost[:, chosen] = np.inf
        for i, c in enumerate(chosen):
            if c in fixed:
                cost[i, :] = np.inf
        out, add = (int(x) for x in np.unravel_index(int(np.argmin(cost)), cost.shape))
        current = float(w @ d1)
        if not cost[out, add] < current * (1 - 1e-12) - 1e-9:
            break
        chosen = sorted([*(c for i, c in enumerate(chosen) if i != out), add])
    return chosen


def _violations(
    prob: SiteProblem, open_units: list[int], vols: np.ndarray, within_30: float
) -> tuple[list[int], bool]:
    """Open units outside the volume bounds, and whether the share target is met."""
    bad = [
        j
        for j, v in zip(open_units, vols, strict=True)
        if (v < prob.min_volume - 1e-6 or v > prob.max_volume + 1e-6) and j not in prob.fixed_open
    ]
    return bad, within_30 >= prob.min_share_within_30 - 1e-9


def solve_sites(
    prob: SiteProblem,
    depth: int = 25,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    threads: int = 2,
) -> SiteSolution:
    """Open p units minimising weighted time, exactly (to `mip_gap`) unless time runs out.
    `threads` is HiGHS's thread count (>= 1, or 0 for HiGHS's choice); solves in one process
    may ask for different counts.

    The volume bounds are never rows of the model: each answer that breaks one yields cuts
    on the units alone (`stpkit.stroke.volume_cuts`), and the p-median model with the cuts
    so far is solved again. Every such model is a relaxation of the full problem, so its
    proven bound bounds the true optimum, and an answer that meets every bound is optimal
    to the solver's gap. The best answer meeting the bounds so far (a model's answer, or one
    repaired from it by bounded interchange) is HiGHS's start in the next round and the
    answer at the time limit, which is wall time: no round starts after it."""
    prob.check()
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise StrokeError(
            f"threads must be a whole number >= 0 (0: HiGHS chooses), not {threads!r}"
        )
    start = time.perf_counter()
    asked = prob
    # internally the fixed units are simply units that must open, exempt from volume bounds
    prob = replace(
        prob, p=prob.p + len(prob.fixed_open), must_open=(*prob.must_open, *prob.fixed_open)
    )
    keep = prob.admissions > 0
    T = prob.minutes[keep]
    w = prob.admissions[keep].astype(float)
    n, m = T.shape
    order = np.argsort(T, axis=1, kind="stable")
    D = np.take_along_axis(T, order, axis=1)
    depths = np.full(n, min(depth, m))
    within = (T <= 30.0).sum(axis=1)  # units within 30 minutes of each LSOA
    bounded = prob.min_volume > 0 or bool(np.isfinite(prob.max_volume))
    finder = (
        CutFinder(T, w, prob.min_volume, prob.max_volume, prob.must_open, asked.fixed_open)
        if bounded
        else None
    )
    cuts: list[VolumeCut] = []
    seen: set[tuple[int, tuple[int, ...], str]] = set()
    best: list[int] | None = None
    upper = np.inf
    # the plain start: HiGHS's first incumbent (the relaxation has no volume rows, so it
    # is one even when it breaks a bound), and the first answer when it meets them
    plain = greedy_sites(T, w, prob.p, prob.must_open)
    if not bounded:
        plain = interchange(T, w, plain, prob.must_open)
    lower = -np.inf
    rounds, nsets, repaired = 0, 0, False
    status = ""
    sets_cache: dict[bytes, tuple[np.ndarray, int, list]] = {}

    def left() -> float:
        return time_limit - (time.perf_counter() - start)

    def consider(units: list[int]) -> bool:
        """Keep `units` as the best answer if it meets every bound and beats the best."""
        nonlocal best, upper
        ev = evaluate_sites(T, w, units)
        vols = ev["volumes"]
        assert isinstance(vols, np.ndarray)
        bad, share_ok = _violations(prob, units, vols, float(ev["within_30"]))  # type: ignore[arg-type]
        ok = not bad and share_ok
        if ok and float(ev["objective"]) < upper:  # type: ignore[arg-type]
            best, upper = sorted(units), float(ev["objective"])  # type: ignore[arg-type]
        return ok

    consider(plain)
    while True:
        if rounds and left() < 0.5:  # the time limit is wall time: no round after it
            status = f"time limit of {time_limit:.0f} s reached"
            break
        rounds += 1
        y0 = np.zeros(m)
        y0[best if best is not None else plain] = 1.0  # HiGHS ignores it if a cut forbids it
        key = depths.tobytes()
        if key not in sets_cache:
            sets_cache.clear()
            sets_cache[key] = set_ids(order, depths, m)
        run_status, y, bound, nsets = solve_milp(
            prob,
            T,
            w,
            order,
            D,
            depths,
            max(left(), 0.5),
            mip_gap,
            threads,
            np.zeros(m, dtype=bool),
            y0,
            cuts=[c.row() for c in cuts],
            sets=sets_cache[key],
        )
        if run_status == "infeasible":
            raise _infeasible(asked, prob, cuts)
        if bound == bound:  # every model is a relaxation: its bound bounds the optimum
            lower = max(lower, bound)
        if y is None:
            status = run_status
            break
        found = sorted(int(j) for j in np.nonzero(y > 0.5)[0])
        feasible = consider(found)
        new = [] if finder is None else finder.cuts_for(found)
        if not feasible and not repaired and best is None and left() > 0.5:
            # a first answer meeting the bounds, repaired from the model's (few units off)
            repaired = True
            fixed = bounded_interchange(
                T,
                w,
                found,
                prob.min_volume,
                prob.max_volume,
                keep_open=prob.must_open,
                exempt=asked.fixed_open,
                seconds=min(10.0, left() / 2),
            )[0]
            consider(fixed)
        if best is not None and upper - lower <= mip_gap * upper + 1e-9:
            status = "optimal"
            break
        # LSOAs none of whose listed units is open: the model only bounds their time
        listed = np.arange(m)[None, :] < depths[:, None]
        escaped = ~((y > 0.5)[order] & listed).any(axis=1) & (depths < m)
        short = within > depths  # units within 30 min beyond the list: share optimistic
        if escaped.any() or (not feasible and not new and short.any()):
            grow = escaped | (short if not new else np.zeros(n, dtype=bool))
            depths[grow] = np.minimum(np.maximum(depths[grow] * 2, within[grow]), m)
        elif "optimal" not in run_status:
            status = run_status  # HiGHS stopped (time) before its own optimum
            break
        elif not any((c.unit, c.others, c.kind) not in seen for c in new):
            # nothing left to cut or deepen: the answer meets the bounds, to HiGHS's gap
            status = "optimal" if feasible else "no cut left for an answer off the bounds"
            break
        for c in new:
            if (c.unit, c.others, c.kind) not in seen:
                seen.add((c.unit, c.others, c.kind))
                cuts.append(c)
    for use_plain in (False, True) if best is None and bounded else ():
        # HiGHS gave no answer to repair: the heuristics alone, in the time left (if any)
        if left() < 1.0:
            break
        first = plain if use_plain else drop_start(T, w, prob.p, prob.must_open)
        fixed = bounded_interchange(
            T,
            w,
            first,
            prob.min_volume,
            prob.max_volume,
            keep_open=prob.must_open,
            exempt=asked.fixed_open,
            seconds=max(left(), 0.0),
        )[0]
        if consider(fixed):
            break
    if best is None:
        raise StrokeError(
            f"No choice meeting the bounds was found within {time_limit:.0f} s ({status})"
        )
    if status != "optimal":
        status = f"best found meeting the bounds ({status})" if bounded else status
    ev = evaluate_sites(T, w, best)
    vols = ev["volumes"]
    assert isinstance(vols, np.ndarray)
    gap = (upper - lower) / upper if lower > -np.inf and upper > 0 else float("nan")
    return SiteSolution(
        open_units=best,
        objective=upper,
        bound=lower if lower > -np.inf else float("nan"),
        gap=max(gap, 0.0) if gap == gap else gap,
        seconds=time.perf_counter() - start,
        rounds=rounds,
        set_variables=nsets,
        mean_minutes=float(ev["mean"]),  # type: ignore[arg-type]
        share_within_30=float(ev["within_30"]),  # type: ignore[arg-type]
        volumes={prob.unit_names[j]: float(v) for j, v in zip(best, vols, strict=True)},
        status=status,
        cuts=len(cuts),
    )


def _infeasible(asked: SiteProblem, prob: SiteProblem, cuts: list[VolumeCut]) -> InfeasibleError:
    """The error for a model HiGHS proves infeasible, with the cuts that make it so."""
    why = (
        f"Infeasible: no choice of {asked.p} units gives every open unit between "
        f"{prob.min_volume:,.0f} and {prob.max_volume:,.0f} admissions when patients go "
        "to their nearest open unit"
        + (
            f" and {prob.min_share_within_30:.0%} within 30 minutes"
            if prob.min_share_within_30
            else ""
        )
    )
    free = prob.minutes.shape[1] - len(prob.must_open)  # units the choice may close or open
    closable = free - (prob.p - len(prob.must_open))
    packing = disjoint_low_cuts(cuts)
    if cuts:
        why += (
            f". Proof: each of these {len(cuts)} combinations leaves a unit outside the bounds "
            "(count it: open the units named, close the rest), and HiGHS proves that no "
            f"choice of {asked.p} units avoids all of them"
        )
        if len(packing) > closable:
            why += (
                f"; by hand: {len(packing)} of them share no unit, so each needs a unit of "
                f"its own closed, but only {closable} of the {free} units may close"
            )
        why += "."
    err = InfeasibleError(why)
    err.cuts = list(cuts)  # type: ignore[attr-defined]
    err.unit_names = list(prob.unit_names)  # type: ignore[attr-defined]
    return err


def england_problem(
    ref: object,
    p: int,
    min_volume: float = 0.0,
    max_volume: float = float("inf"),
    every_unit: bool = False,
) -> SiteProblem:
    """Every English LSOA with admissions x every admitting English unit with matrix times;
    with `every_unit`, every unit in the reference data, times estimated where the matrix
    has no column (`estimated_columns`, with the held-out error stated)."""
    from stpkit.reference import Reference

    assert isinstance(ref, Reference)
    lsoas = ref.lsoas("England")
    lsoas = lsoas[lsoas.admissions > 0]
    units = [
        u
        for u in ref.stroke_units("England")
        if every_unit or (u.provides_ivt and u.in_travel_matrix)
    ]
    known = [u for u in units if u.in_travel_matrix]
    tm = ref.travel_matrix(list(lsoas.lsoa_code), [u.postcode for u in known]).minutes
    minutes = np.full((len(lsoas), len(units)), np.nan)
    known_cols = [j for j, u in enumerate(units) if u.in_travel_matrix]
    minutes[:, known_cols] = tm
    missing = tuple(j for j, u in enumerate(units) if not u.in_travel_matrix)
    mae = float("nan")
    if missing:
        minutes, mae = estimated_columns(lsoas, units, minutes, missing)
    return SiteProblem(
        minutes,
        lsoas.admissions.to_numpy(dtype=float),
        [u.name + (" (estimated times)" if j in missing else "") for j, u in enumerate(units)],
        p,
        min_volume,
        max_volume,
        estimated=missing,
        estimate_mae_minutes=mae,
    )


def estimated_columns(
    lsoas: object, units: list, minutes: np.ndarray, missing: tuple[int, ...], tests: int = 5
) -> tuple[np.ndarray, float]:
    """Fill the `missing` columns with the travel-time model fitted on the known ones
    (minutes on straight-line distance plus neighbouring units' residuals), and the mean
    absolute error of leaving out, in turn, the `tests` known units nearest the missing."""
    import pandas as pd

    from stpkit.stroke.travel_model import TravelTimeModel, held_out_errors

    assert isinstance(lsoas, pd.DataFrame)
    lxy = np.column_stack([lsoas.easting, lsoas.northing]) / 1000.0
    uxy = np.array([[u.easting, u.northing] for u in units]) / 1000.0
    known = [j for j in range(len(units)) if j not in missing]
    model = TravelTimeModel.fit(lxy, uxy[known], minutes[:, known])
    out = minutes.copy()
    for j in missing:
        out[:, j] = model.predict(uxy[j])
    dist = np.array([np.min(np.hypot(*(uxy[list(missing)] - uxy[k]).T)) for k in known])
    nearest = [int(i) for i in np.argsort(dist)[:tests]]
    errors = held_out_errors(
        lxy, uxy[known], minutes[:, known], [units[k].name for k in known], nearest
    )
    return out, float(errors.mae_minutes.mean())


def region_problem(
    geo: object, p: int, min_volume: float = 0.0, max_volume: float = float("inf")
) -> SiteProblem:
    """Choose p of a region's candidate sites (estimated travel times included). Every LSOA
    whose patients may use them (residents and neighbours) counts; units outside the region
    stay open as one 'nearest outside unit' column, with no volume bounds."""
    from stpkit.stroke.geography import StrokeGeography

    assert isinstance(geo, StrokeGeography)
    minutes = np.column_stack([geo.cand_minutes, geo.outside_minutes])
    names = [u.name for u in geo.candidates] + ["nearest unit outside the region"]
    return SiteProblem(
        minutes,
        np.asarray(geo.admissions, dtype=float),
        names,
        p,
        min_volume,
        max_volume,
        fixed_open=(geo.k,),
    )
