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

Depth: each LSOA starts with its `depth` nearest units. Beyond the last one the model is a
relaxation (the extra time is charged at its lower bound D_{K+1} - D_K and the admissions
may top up any unit's lower volume bound); if an optimal solution uses that escape for some
LSOA, its depth is doubled and the model solved again. When no LSOA uses it, the relaxation's
optimum is feasible for the full problem, so HiGHS's bound is a bound on the true optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
from scipy import sparse

from stpkit.stroke.errors import InfeasibleError, StrokeError


@dataclass(frozen=True)
class SiteProblem:
    minutes: np.ndarray  # (n LSOAs, m units)
    admissions: np.ndarray  # (n,)
    unit_names: list[str]
    p: int
    min_volume: float = 0.0
    max_volume: float = float("inf")
    min_share_within_30: float = 0.0
    must_open: tuple[int, ...] = ()

    def check(self) -> None:
        m = self.minutes.shape[1]
        total = float(self.admissions.sum())
        if not 1 <= self.p <= m:
            raise InfeasibleError(f"Infeasible: p = {self.p} but there are {m} candidate units")
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
        if self.p * self.max_volume < total - 1e-6:
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
    n, m = T.shape
    chosen = list(must_open)
    best = T[:, chosen].min(axis=1) if chosen else np.full(n, np.inf)
    while len(chosen) < p:
        cand = [j for j in range(m) if j not in chosen]
        totals = [float(w @ np.minimum(best, T[:, j])) for j in cand]
        j = cand[int(np.argmin(totals))]
        chosen.append(j)
        best = np.minimum(best, T[:, j])
    return sorted(chosen)


def _set_ids(order: np.ndarray, depth: np.ndarray, m: int) -> tuple[np.ndarray, int, list]:
    """Id of the set of each LSOA's k nearest units (k = 1..depth_i); -1 beyond its depth."""
    n, kmax = order.shape[0], int(depth.max())
    ids = np.full((n, kmax), -1, dtype=np.int64)
    # a set as a bitmask over units (m <= 192 here: three 64-bit words)
    words = (m + 63) // 64
    masks = np.zeros((n, words), dtype=np.uint64)
    table: dict[bytes, int] = {}
    reps: list[tuple[int, int, int]] = []  # per set: (depth, parent id, added unit)
    for k in range(kmax):
        rows = np.nonzero(depth > k)[0]
        u = order[rows, k]
        masks[rows, u // 64] |= np.uint64(1) << (u % 64).astype(np.uint64)
        keys = masks[rows]
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        inv = inv.ravel()
        local = np.empty(len(uniq), dtype=np.int64)
        for g, key in enumerate(uniq):
            b = key.tobytes()
            sid = table.get(b)
            if sid is None:
                sid = len(table)
                table[b] = sid
                first = rows[int(np.argmax(inv == g))]
                parent = int(ids[first, k - 1]) if k else -1
                reps.append((k + 1, parent, int(order[first, k])))
            local[g] = sid
        ids[rows, k] = local[inv]
    return ids, len(table), reps


def solve_sites(
    prob: SiteProblem,
    depth: int = 25,
    time_limit: float = 60.0,
    mip_gap: float = 1e-4,
    threads: int = 2,
) -> SiteSolution:
    prob.check()
    start = time.perf_counter()
    keep = prob.admissions > 0
    T = prob.minutes[keep]
    w = prob.admissions[keep].astype(float)
    n, m = T.shape
    order = np.argsort(T, axis=1, kind="stable")
    D = np.take_along_axis(T, order, axis=1)
    depths = np.full(n, min(depth, m))
    rounds = 0
    # Stage 1 drops the lower volume bound (a relaxation). If its optimum already meets the
    # bound it is optimal for the full problem; otherwise stage 2 adds the bound.
    staged = prob.min_volume > 0
    active = replace(prob, min_volume=0.0) if staged else prob
    while True:
        rounds += 1
        remaining = time_limit - (time.perf_counter() - start)
        result = _solve_once(active, T, w, order, D, depths, max(remaining, 1.0), mip_gap, threads)
        status, y, z_end, _, bound, nsets = result
        if status == "infeasible":
            raise InfeasibleError(
                f"Infeasible: no choice of {prob.p} units gives every open unit between "
                f"{prob.min_volume:,.0f} and {prob.max_volume:,.0f} admissions when patients go "
                "to their nearest open unit"
                + (
                    f" and {prob.min_share_within_30:.0%} within 30 minutes"
                    if prob.min_share_within_30
                    else ""
                )
            )
        escaped = (z_end > 0.5) & (depths < m)
        if y is not None and not escaped.any() and active is not prob:
            vols = evaluate_sites(T, w, sorted(int(j) for j in np.nonzero(y > 0.5)[0]))["volumes"]
            assert isinstance(vols, np.ndarray)
            if vols.min() >= prob.min_volume - 1e-6:
                break  # the relaxation's optimum meets the bound: optimal for the full problem
            active = prob
            continue
        if y is None or not escaped.any() or time.perf_counter() - start > time_limit:
            break
        depths[escaped] = np.minimum(depths[escaped] * 2, m)
    if y is None:
        raise StrokeError(f"HiGHS found no solution within {time_limit:.0f} s ({status})")
    open_units = sorted(int(j) for j in np.nonzero(y > 0.5)[0])
    ev = evaluate_sites(T, w, open_units)
    objective = float(ev["objective"])  # type: ignore[arg-type]
    vols = ev["volumes"]
    assert isinstance(vols, np.ndarray)
    # a bound is only a bound on the full problem once no LSOA escapes its depth
    bound_ok = not ((z_end > 0.5) & (depths < m)).any()
    gap = (objective - bound) / objective if bound_ok and objective > 0 else float("nan")
    return SiteSolution(
        open_units=open_units,
        objective=objective,
        bound=bound if bound_ok else float("nan"),
        gap=max(gap, 0.0) if gap == gap else gap,
        seconds=time.perf_counter() - start,
        rounds=rounds,
        set_variables=nsets,
        mean_minutes=float(ev["mean"]),  # type: ignore[arg-type]
        share_within_30=float(ev["within_30"]),  # type: ignore[arg-type]
        volumes={prob.unit_names[j]: float(v) for j, v in zip(open_units, vols, strict=True)},
        status=status,
    )


def _solve_once(
    prob: SiteProblem,
    T: np.ndarray,
    w: np.ndarray,
    order: np.ndarray,
    D: np.ndarray,
    depths: np.ndarray,
    time_limit: float,
    mip_gap: float,
    threads: int,
) -> tuple[str, np.ndarray | None, np.ndarray, float, float, int]:
    n, m = T.shape
    ids, nsets, reps = _set_ids(order, depths, m)
    # columns: y (m) | z (nsets) | e (m: admissions beyond depth topping up a lower bound)
    ny, nz = m, nsets
    ncol = ny + nz + ny
    cost = np.zeros(ncol)
    rows_i = np.arange(n)
    kmax = ids.shape[1]
    for k in range(kmax):
        live = depths > k
        nxt = np.where(k + 1 < m, D[:, min(k + 1, m - 1)] - D[:, k], 0.0)
        np.add.at(cost, ny + ids[live, k], w[live] * nxt[live])
    const = float(w @ D[:, 0])

    r_idx: list[np.ndarray] = []
    c_idx: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    nrow = 0

    def add(rr: np.ndarray, cc: np.ndarray, vv: np.ndarray) -> None:
        r_idx.append(rr)
        c_idx.append(cc)
        vals.append(vv)

    rep = np.array(reps, dtype=np.int64)  # (nsets, 3): depth, parent, unit
    sid = np.arange(nsets)
    first = rep[:, 0] == 1
    # depth 1: z_S + y_j = 1
    f = sid[first]
    rr = nrow + np.arange(len(f))
    add(rr, ny + f, np.ones(len(f)))
    add(rr, rep[f, 2], np.ones(len(f)))
    lo.append(np.ones(len(f)))
    hi.append(np.ones(len(f)))
    nrow += len(f)
    g = sid[~first]
    par, uj = rep[g, 1], rep[g, 2]
    k3 = len(g)
    # z_S - z_P + y_j >= 0
    rr = nrow + np.arange(k3)
    add(rr, ny + g, np.ones(k3))
    add(rr, ny + par, -np.ones(k3))
    add(rr, uj, np.ones(k3))
    lo.append(np.zeros(k3))
    hi.append(np.full(k3, np.inf))
    nrow += k3
    # z_S - z_P <= 0
    rr = nrow + np.arange(k3)
    add(rr, ny + g, np.ones(k3))
    add(rr, ny + par, -np.ones(k3))
    lo.append(np.full(k3, -np.inf))
    hi.append(np.zeros(k3))
    nrow += k3
    # z_S + y_j <= 1
    rr = nrow + np.arange(k3)
    add(rr, ny + g, np.ones(k3))
    add(rr, uj, np.ones(k3))
    lo.append(np.full(k3, -np.inf))
    hi.append(np.ones(k3))
    nrow += k3
    # sum y = p
    add(np.full(m, nrow), np.arange(m), np.ones(m))
    lo.append(np.array([float(prob.p)]))
    hi.append(np.array([float(prob.p)]))
    nrow += 1
    for j in prob.must_open:
        add(np.array([nrow]), np.array([j]), np.ones(1))
        lo.append(np.ones(1))
        hi.append(np.ones(1))
        nrow += 1

    # volumes: vol_j = sum_i w_i (z_{S_i,k-1} - z_{S_ik}) over k with the k-th unit = j
    vr, vc, vv = [], [], []
    vconst = np.zeros(m)
    for k in range(kmax):
        at = np.nonzero(depths > k)[0]
        j = order[at, k]
        if k == 0:
            np.add.at(vconst, j, w[at])
        else:
            vr.append(j)
            vc.append(ny + ids[at, k - 1])
            vv.append(w[at])
        vr.append(j)
        vc.append(ny + ids[at, k])
        vv.append(-w[at])
    V = sparse.csr_matrix(
        (np.concatenate(vv), (np.concatenate(vr), np.concatenate(vc))), shape=(m, ncol)
    )
    V.sum_duplicates()
    end_ids = ids[rows_i, depths - 1]
    bounded_low = prob.min_volume > 0
    bounded_high = np.isfinite(prob.max_volume)
    if bounded_low:  # vol_j + e_j - L y_j >= 0  (e_j: escaped admissions, 0 when exact)
        Vl = V.tolil()
        for j in range(m):
            Vl[j, ny + nz + j] = 1.0
            Vl[j, j] = -prob.min_volume
        Vl = Vl.tocoo()
        add(nrow + Vl.row, Vl.col, Vl.data)
        lo.append(-vconst)
        hi.append(np.full(m, np.inf))
        nrow += m
        # sum e_j <= sum_i w_i z_end(i)
        esc = np.zeros(ncol)
        np.add.at(esc, ny + end_ids, -w)
        esc[ny + nz :] = 1.0
        nzc = np.nonzero(esc)[0]
        add(np.full(len(nzc), nrow), nzc, esc[nzc])
        lo.append(np.array([-np.inf]))
        hi.append(np.array([0.0]))
        nrow += 1
    if bounded_high:  # vol_j - U y_j <= 0
        Vu = V.tolil()
        for j in range(m):
            Vu[j, j] = -prob.max_volume
        Vu = Vu.tocoo()
        add(nrow + Vu.row, Vu.col, Vu.data)
        lo.append(np.full(m, -np.inf))
        hi.append(-vconst)
        nrow += m
    if prob.min_share_within_30 > 0:  # share within 30: z of the deepest set with D <= 30
        kk = (D <= 30.0).sum(axis=1)  # number of units within 30 minutes
        inside = kk > 0
        within = np.zeros(ncol)
        deep = np.minimum(kk, depths) - 1
        ok = inside & (kk <= depths)
        np.add.at(within, ny + ids[rows_i[ok], deep[ok]], w[ok])
        # sum_i w_i (1 - z_i30) >= share W  ->  sum w_i z_i30 <= W_in - share W
        w_in = float(w[inside].sum())
        nzc = np.nonzero(within)[0]
        add(np.full(len(nzc), nrow), nzc, within[nzc])
        lo.append(np.array([-np.inf]))
        hi.append(np.array([w_in - prob.min_share_within_30 * float(w.sum())]))
        nrow += 1

    A = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(r_idx), np.concatenate(c_idx))),
        shape=(nrow, ncol),
    )
    A.sum_duplicates()
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = nrow
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(ncol)
    upper = np.ones(ncol)
    upper[ny + nz :] = np.inf if bounded_low else 0.0
    lp.col_upper_ = upper
    lp.row_lower_ = np.concatenate(lo)
    lp.row_upper_ = np.concatenate(hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = A.indptr
    lp.a_matrix_.index_ = A.indices
    lp.a_matrix_.value_ = A.data
    lp.offset_ = const
    integrality = [highspy.HighsVarType.kContinuous] * ncol
    for j in range(ny):
        integrality[j] = highspy.HighsVarType.kInteger
    lp.integrality_ = integrality
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("mip_heuristic_effort", 0.2)
    h.passModel(lp)
    # a start: greedy units, and the z and e values they imply (HiGHS ignores it if infeasible)
    y0 = np.zeros(m)
    y0[greedy_sites(T, w, prob.p, prob.must_open)] = 1.0
    z0 = np.zeros(nz)
    for s_id, (d, parent, unit) in enumerate(reps):  # parents come before their children
        z0[s_id] = (1.0 if d == 1 else z0[parent]) * (1.0 - y0[unit])
    start = highspy.HighsSolution()
    start.col_value = np.concatenate([y0, z0, np.zeros(ny)]).tolist()
    start.value_valid = True
    h.setSolution(start)
    h.run()
    status = h.modelStatusToString(h.getModelStatus()).lower()
    info = h.getInfo()
    if "infeasible" in status:
        return "infeasible", None, np.zeros(n), float("nan"), float("nan"), nsets
    if info.primal_solution_status != 2:  # no feasible point
        return status, None, np.zeros(n), float("nan"), float("nan"), nsets
    x = np.array(h.getSolution().col_value)
    y = x[:ny]
    z_end = x[ny + end_ids]
    return status, y, z_end, float(info.objective_function_value), float(info.mip_dual_bound), nsets


def england_problem(
    ref: object, p: int, min_volume: float = 0.0, max_volume: float = float("inf")
) -> SiteProblem:
    """Every English LSOA with admissions x every admitting English unit with matrix times."""
    from stpkit.reference import Reference

    assert isinstance(ref, Reference)
    lsoas = ref.lsoas("England")
    lsoas = lsoas[lsoas.admissions > 0]
    units = [u for u in ref.stroke_units("England") if u.provides_ivt and u.in_travel_matrix]
    tm = ref.travel_matrix(list(lsoas.lsoa_code), [u.postcode for u in units])
    return SiteProblem(
        tm.minutes,
        lsoas.admissions.to_numpy(dtype=float),
        [u.name for u in units],
        p,
        min_volume,
        max_volume,
    )
