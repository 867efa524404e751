"""HASUs and thrombectomy (MT) centres chosen together, exactly, as one MILP (two tiers).

Tier 1: open p HASUs; every LSOA's patients go to their nearest open HASU (closest
assignment, enforced: if unit j is open, LSOA i goes to j or to a unit nearer than j), each
HASU's admissions within [min_volume, max_volume]. Tier 2: q of the HASUs (among the MT
candidates, e.g. comprehensive centres) also provide thrombectomy; every other HASU sends
its thrombectomy patients to its nearest MT centre by transfer time (drip and ship, again
enforced), and each MT centre's catchment (its own admissions and those of the HASUs that
send to it) is at least `min_mt_volume`.

Objective, in minutes summed over admissions: travel to the first HASU (onset to needle
moves with it, `Pathway`), plus, for the share of admissions who get thrombectomy
(`mt_share`, from the `Cohort`), the time from arrival at the first unit to puncture:
arrival to puncture at an MT centre, else door in door out + transfer + arrival to puncture
after a transfer. Minimising sum w x (travel + mt_share x travel) + mt_share x sum G v,
where v_hc = admissions of HASU h when h sends to c (exact: v <= vol, v <= M a, v >= vol -
M (1 - a)).

Assignment variables make this model exact but sized LSOAs x units: it is for a region's
choice (tens of units, a few thousand LSOAs); England's one-tier choice uses the radius
formulation with volume cuts (`stpkit.stroke.optimise`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from stpkit import solver
from stpkit.stroke.errors import InfeasibleError, StrokeError
from stpkit.stroke.pathway import Cohort, Pathway


def mt_share(cohort: Cohort) -> float:
    """Share of admissions given thrombectomy (LVO x (MT alone + IVT and MT))."""
    return cohort.share_lvo * (cohort.lvo_mt_only + cohort.lvo_ivt_and_mt)


@dataclass(frozen=True)
class TwoTierProblem:
    minutes: np.ndarray  # (n LSOAs, m units) road minutes
    admissions: np.ndarray  # (n,)
    transfer: np.ndarray  # (m, m) inter-hospital minutes, HASU h -> MT centre c
    unit_names: list[str]
    p: int  # HASUs (chosen units, fixed ones not counted)
    q: int  # MT centres among the chosen HASUs
    mt_candidates: tuple[int, ...] = ()  # units that may provide MT (default: all)
    min_volume: float = 0.0
    max_volume: float = float("inf")
    min_mt_volume: float = 0.0  # admissions a year in an MT centre's catchment
    fixed_open: tuple[int, ...] = ()  # always open, no bounds, never MT (units outside)
    # minutes from arrival at a fixed unit to puncture, per LSOA (its own onward route)
    fixed_onward: np.ndarray | None = None
    pathway: Pathway = field(default_factory=Pathway)
    share_mt: float = field(default_factory=lambda: mt_share(Cohort()))

    def check(self) -> None:
        m = self.minutes.shape[1]
        free = m - len(self.fixed_open)
        cands = self.candidates()
        if self.transfer.shape != (m, m):
            raise StrokeError(f"transfer must be {m} x {m}, not {self.transfer.shape}")
        if not 1 <= self.p <= free:
            raise InfeasibleError(f"Infeasible: p = {self.p} but there are {free} candidates")
        if not 1 <= self.q <= min(self.p, len(cands)):
            raise InfeasibleError(
                f"Infeasible: q = {self.q} MT centres, but p = {self.p} and "
                f"{len(cands)} units may provide MT"
            )
        total = float(self.admissions.sum())
        if self.q * self.min_mt_volume > total + 1e-6 or self.p * self.min_volume > total + 1e-6:
            raise InfeasibleError("Infeasible: the minimum volumes add up to more admissions")

    def candidates(self) -> list[int]:
        units = self.mt_candidates or tuple(range(self.minutes.shape[1]))
        return sorted(j for j in set(units) if j not in self.fixed_open)

    def onward(self) -> np.ndarray:
        """(m, m) minutes from arrival at HASU h to puncture when h sends to MT centre c
        (c = h: puncture on site)."""
        pw = self.pathway
        G = pw.door_in_door_out_hasu + self.transfer + pw.transfer_arrival_to_puncture
        np.fill_diagonal(G, pw.arrival_to_puncture)
        return G


@dataclass
class TwoTierSolution:
    hasus: list[int]
    mt_centres: list[int]
    sends_to: dict[int, int]  # HASU -> its MT centre
    objective: float
    bound: float
    gap: float
    status: str
    mean_travel: float  # minutes to the first unit, all admissions
    mean_to_puncture: float  # arrival at the first unit to puncture, thrombectomy patients
    volumes: dict[int, float]
    mt_volumes: dict[int, float]
    seconds: float

    @property
    def proven(self) -> bool:
        return self.gap <= 1e-3 + 1e-9


def evaluate_two_tier(
    prob: TwoTierProblem, hasus: list[int], mt: list[int]
) -> tuple[float, float, float, dict[int, float], dict[int, float], dict[int, int]]:
    """Closest assignment in both tiers: objective, mean travel, mean arrival to puncture,
    HASU volumes, MT catchments and where each HASU sends (fixed units included)."""
    T, w = prob.minutes, prob.admissions
    units = sorted({*hasus, *prob.fixed_open})
    a = np.array(units)[np.argmin(T[:, units], axis=1)]
    t = T[np.arange(len(w)), a]
    G = prob.onward()
    mts = sorted(mt)
    sends = {h: int(mts[int(np.argmin(prob.transfer[h, mts]))]) for h in hasus}
    for c in mts:
        sends[c] = c
    onward = np.empty(len(w))
    for i, h in enumerate(a):
        if h in prob.fixed_open:
            assert prob.fixed_onward is not None
            onward[i] = prob.fixed_onward[i]
        else:
            onward[i] = G[h, sends[int(h)]]
    vol = {int(j): float(w[a == j].sum()) for j in units}
    mt_vol = {c: sum(vol[h] for h in hasus if sends[h] == c) for c in mts}
    obj = float(w @ (t * (1 + prob.share_mt) + prob.share_mt * onward))
    return obj, float(w @ t / w.sum()), float(w @ onward / w.sum()), vol, mt_vol, sends


def solve_two_tier(
    prob: TwoTierProblem, time_limit: float = 60.0, mip_gap: float = 1e-4, threads: int = 2
) -> TwoTierSolution:
    """The exact two-tier choice (see the module docstring); the limit is wall time."""
    began = time.perf_counter()
    prob.check()
    keep = prob.admissions > 0
    T, w = prob.minutes[keep], prob.admissions[keep].astype(float)
    onward_fixed = None if prob.fixed_onward is None else prob.fixed_onward[keep]
    m = T.shape[1]
    # LSOAs with the same order of units are assigned alike in every choice: one row each
    # (their admissions summed, their minutes summed weighted), an exact aggregation
    order_all = np.argsort(T, axis=1, kind="stable")
    _, first, grp = np.unique(order_all, axis=0, return_index=True, return_inverse=True)
    grp = grp.ravel()
    n = len(first)
    order = order_all[first]
    wT = np.zeros((n, m))
    np.add.at(wT, grp, w[:, None] * T)
    w_all, w = w, np.bincount(grp, weights=w, minlength=n)
    cands = prob.candidates()
    nc = len(cands)
    G = prob.onward()
    big = float(w.sum())
    share = prob.share_mt
    fixed = set(prob.fixed_open)
    # columns: y (m) | mt (nc) | x (n*m) | a (m*nc) | v (m*nc)
    oy, om, ox = 0, m, m + nc
    oa = ox + n * m
    ov = oa + m * nc
    ncol = ov + m * nc
    cost = np.zeros(ncol)
    cost[ox : ox + n * m] = (wT * (1 + share)).ravel()
    if onward_fixed is not None:
        w_onward = np.bincount(grp, weights=w_all * onward_fixed, minlength=n)
        for j in fixed:
            cost[ox + np.arange(n) * m + j] += share * w_onward
    cost[ov:] = share * np.array([G[h, c] for h in range(m) for c in cands])
    lower = np.zeros(ncol)
    upper = np.ones(ncol)
    upper[ov:] = big
    for j in fixed:
        lower[oy + j] = 1.0
    rows: list[tuple[list[int], list[float], float, float]] = []

    def row(cols: list[int], vals: list[float], lo: float, hi: float) -> None:
        rows.append((cols, vals, lo, hi))

    free = [j for j in range(m) if j not in fixed]
    row([oy + j for j in free], [1.0] * len(free), prob.p, prob.p)
    row([om + k for k in range(nc)], [1.0] * nc, prob.q, prob.q)
    for k, c in enumerate(cands):  # an MT centre is a HASU
        row([om + k, oy + c], [1.0, -1.0], -np.inf, 0.0)
    for i in range(n):
        xi = ox + i * m
        row([xi + j for j in range(m)], [1.0] * m, 1.0, 1.0)
        for j in range(m):
            row([xi + j, oy + j], [1.0, -1.0], -np.inf, 0.0)
        # closest assignment: if the r-th nearest unit is open, i goes to it or nearer
        for r in range(m):
            near = [xi + int(k) for k in order[i, : r + 1]]
            row([*near, oy + int(order[i, r])], [1.0] * (r + 1) + [-1.0], 0.0, np.inf)
    for j in free:  # HASU volumes
        cols = [ox + i * m + j for i in range(n)]
        if prob.min_volume > 0:
            row([*cols, oy + j], [*w, -prob.min_volume], 0.0, np.inf)
        if np.isfinite(prob.max_volume):
            row([*cols, oy + j], [*w, -prob.max_volume], -np.inf, 0.0)
    # tier 2: every open HASU sends to one MT centre, its nearest by transfer time
    for h in range(m):
        a_h = [oa + h * nc + k for k in range(nc)]
        if h in fixed:
            for col in a_h:
                upper[col] = 0.0
            continue
        row([*a_h, oy + h], [1.0] * nc + [-1.0], 0.0, 0.0)
        for k in range(nc):
            row([oa + h * nc + k, om + k], [1.0, -1.0], -np.inf, 0.0)
        by = sorted(range(nc), key=lambda k: (prob.transfer[h, cands[k]], cands[k] != h, k))
        for r, k in enumerate(by):  # if c is MT and h open, h sends to c or a nearer one
            near = [oa + h * nc + kk for kk in by[: r + 1]]
            row([*near, om + k, oy + h], [1.0] * (r + 1) + [-1.0, -1.0], -1.0, np.inf)
        vol_cols = [ox + i * m + h for i in range(n)]
        for k in range(nc):  # v = vol_h x a_hc, exactly
            v, a = ov + h * nc + k, oa + h * nc + k
            row([v, *vol_cols], [1.0, *(-w)], -np.inf, 0.0)
            row([v, a], [1.0, -big], -np.inf, 0.0)
            row([v, *vol_cols, a], [1.0, *(-w), -big], -big, np.inf)
    if prob.min_mt_volume > 0:
        for k in range(nc):
            cols = [ov + h * nc + k for h in range(m)]
            row([*cols, om + k], [1.0] * m + [-prob.min_mt_volume], 0.0, np.inf)

    r_i = np.concatenate([np.full(len(c), i) for i, (c, _, _, _) in enumerate(rows)])
    c_i = np.concatenate([np.asarray(c, dtype=np.int64) for c, _, _, _ in rows])
    v_i = np.concatenate([np.asarray(v, dtype=float) for _, v, _, _ in rows])
    A = sparse.csr_matrix((v_i, (r_i, c_i)), shape=(len(rows), ncol))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, len(rows)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    lp.row_lower_ = np.array([r[2] for r in rows], dtype=float)
    lp.row_upper_ = np.array([r[3] for r in rows], dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    integ = [highspy.HighsVarType.kContinuous] * ncol
    for col in range(ox):
        integ[col] = highspy.HighsVarType.kInteger
    lp.integrality_ = integ
    hs = highspy.Highs()
    hs.setOptionValue("output_flag", False)
    hs.setOptionValue("mip_rel_gap", float(mip_gap))
    hs.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - began), 0.1))
    hs.passModel(lp)
    solver.run(hs, threads)
    status = hs.modelStatusToString(hs.getModelStatus()).lower()
    if "infeasible" in status:
        raise InfeasibleError(
            f"Infeasible: no {prob.p} HASUs with {prob.q} MT centres meet the volume bounds "
            "when patients go to their nearest HASU and HASUs send to their nearest MT centre"
        )
    if hs.getInfo().primal_solution_status != 2:
        raise StrokeError(f"No two-tier answer within {time_limit:.0f} s ({status})")
    y = np.array(hs.getSolution().col_value)
    hasus = [j for j in free if y[oy + j] > 0.5]
    mts = [cands[k] for k in range(nc) if y[om + k] > 0.5]
    sub = replace_rows(prob, keep)
    obj, travel, onward, vol, mt_vol, sends = evaluate_two_tier(sub, hasus, mts)
    bound = float(hs.getInfo().mip_dual_bound)
    gap = max((obj - bound) / obj, 0.0) if obj > 0 else 0.0
    return TwoTierSolution(
        hasus,
        mts,
        {k: v for k, v in sends.items() if k in hasus},
        obj,
        bound,
        gap,
        "optimal" if "optimal" in status else status,
        travel,
        onward,
        vol,
        mt_vol,
        time.perf_counter() - began,
    )


def replace_rows(prob: TwoTierProblem, keep: np.ndarray) -> TwoTierProblem:
    """The problem on the LSOAs of `keep` only."""
    from dataclasses import replace

    onward = None if prob.fixed_onward is None else prob.fixed_onward[keep]
    return replace(
        prob, minutes=prob.minutes[keep], admissions=prob.admissions[keep], fixed_onward=onward
    )


def region_two_tier(
    geo: object,
    p: int,
    q: int,
    min_volume: float = 0.0,
    max_volume: float = float("inf"),
    min_mt_volume: float = 0.0,
    pathway: Pathway | None = None,
    cohort: Cohort | None = None,
) -> TwoTierProblem:
    """A region's two-tier choice: its candidate sites (estimated times included), the
    units outside kept open as one "nearest outside unit" (no bounds, never an MT centre
    of the choice; its patients go on to today's nearest MT centre). Transfer times between
    candidates are road times from the LSOA each candidate is nearest to (the same matrix
    and travel-time model as the patients' journeys)."""
    from stpkit.stroke.geography import StrokeGeography

    assert isinstance(geo, StrokeGeography)
    pw = pathway or Pathway()
    k = geo.k
    minutes = np.column_stack([geo.cand_minutes, geo.outside_minutes])
    home = np.argmin(geo.cand_minutes, axis=0)  # each candidate's own LSOA
    transfer = np.zeros((k + 1, k + 1))
    transfer[:k, :k] = geo.cand_minutes[home, :]
    np.fill_diagonal(transfer, 0.0)
    out_tr = geo.outside_transfer[geo.outside_index]
    onward = np.where(
        out_tr > 0,
        pw.door_in_door_out_hasu + out_tr + pw.transfer_arrival_to_puncture,
        pw.arrival_to_puncture,
    )
    return TwoTierProblem(
        minutes,
        np.asarray(geo.admissions, dtype=float),
        transfer,
        [u.name for u in geo.candidates] + ["nearest unit outside the region"],
        p,
        q,
        mt_candidates=tuple(range(k)),
        min_volume=min_volume,
        max_volume=max_volume,
        min_mt_volume=min_mt_volume,
        fixed_open=(k,),
        fixed_onward=onward,
        pathway=pw,
        share_mt=mt_share(cohort or Cohort()),
    )


__all__ = [
    "TwoTierProblem",
    "TwoTierSolution",
    "evaluate_two_tier",
    "mt_share",
    "region_two_tier",
    "solve_two_tier",
]
