"""The MILP of `solve_sites`, built and run with HiGHS (see `stpkit.stroke.optimise` for
the formulation): set variables numbered by depth (`set_ids`), one model with volume bounds
on the units asked for (`solve_milp`), and HiGHS's process-wide thread pool (`run_highs`).
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

import highspy
import numpy as np
from scipy import sparse

from stpkit import solver
from stpkit.stroke.errors import StrokeError

if TYPE_CHECKING:
    from stpkit.stroke.optimise import SiteProblem


def run_highs(h: highspy.Highs, threads: int) -> None:
    """Run `h` on a HiGHS thread pool of `threads` threads (0: HiGHS chooses)."""
    run_status = solver.run(h, threads)
    if run_status == highspy.HighsStatus.kError:
        raise StrokeError(
            f"HiGHS could not solve the model (run status error, model status "
            f"{h.modelStatusToString(h.getModelStatus())!r}); set STPKIT_HIGHS_LOG=1 to see "
            "its log"
        )


def set_ids(order: np.ndarray, depth: np.ndarray, m: int) -> tuple[np.ndarray, int, list]:
    """Id of the set of each LSOA's k nearest units (k = 1..depth_i); -1 beyond its depth.

    A set of k units only arises at depth k, so sets are numbered depth by depth."""
    n, kmax = order.shape[0], int(depth.max())
    ids = np.full((n, kmax), -1, dtype=np.int64)
    # a set as a bitmask over units (64 units a word)
    words = (m + 63) // 64
    masks = np.zeros((n, words), dtype=np.uint64)
    reps: list[tuple[int, int, int]] = []  # per set: (depth, parent id, added unit)
    for k in range(kmax):
        rows = np.nonzero(depth > k)[0]
        u = order[rows, k]
        masks[rows, u // 64] |= np.uint64(1) << (u % 64).astype(np.uint64)
        _, first, inv = np.unique(masks[rows], axis=0, return_index=True, return_inverse=True)
        offset = len(reps)
        rep_rows = rows[first]
        parents = ids[rep_rows, k - 1] if k else np.full(len(first), -1)
        reps += [
            (k + 1, int(par), int(unit))
            for par, unit in zip(parents, order[rep_rows, k], strict=True)
        ]
        ids[rows, k] = offset + inv.ravel()
    return ids, len(reps), reps


def solve_milp(
    prob: SiteProblem,
    T: np.ndarray,
    w: np.ndarray,
    order: np.ndarray,
    D: np.ndarray,
    depths: np.ndarray,
    time_limit: float,
    mip_gap: float,
    threads: int,
    vol_units: np.ndarray,
    y0: np.ndarray | None = None,
    all_exact: bool = False,
    cuts: list[tuple[np.ndarray, np.ndarray, float]] | None = None,
    sets: tuple[np.ndarray, int, list] | None = None,
) -> tuple[str, np.ndarray | None, float, int]:
    """One MILP: volume bounds only on `vol_units` (a relaxation unless all are there),
    and any `cuts` on the units alone (rows sum coef x y[units] >= floor). `sets` is
    `set_ids(order, depths, m)` when the caller has it already (it costs a second).
    `time_limit` is wall time for the whole call: building the model counts against it."""
    began = time.perf_counter()
    n, m = T.shape
    ids, nsets, reps = set_ids(order, depths, m) if sets is None else sets
    if not (prob.min_volume > 0 or np.isfinite(prob.max_volume)):
        vol_units = np.zeros(m, dtype=bool)
    # sets whose z must equal z_parent x (1 - y_j) exactly: every set on an LSOA's chain up
    # to the deepest of its listed units that carries a volume bound
    need = np.full(nsets, all_exact)
    for k in range(0 if all_exact else ids.shape[1]):
        at = np.nonzero((depths > k) & vol_units[order[:, k]])[0]
        need[ids[at, : k + 1].ravel()] = True
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
    # exact z (z_S = z_P x (1 - y_j)) is needed only where volumes are bounded; elsewhere
    # the objective and the share row push z down onto its covering rows anyway
    ex = need[g]
    ge, pe, ue = g[ex], par[ex], uj[ex]
    ke = len(ge)
    # z_S - z_P <= 0
    rr = nrow + np.arange(ke)
    add(rr, ny + ge, np.ones(ke))
    add(rr, ny + pe, -np.ones(ke))
    lo.append(np.full(ke, -np.inf))
    hi.append(np.zeros(ke))
    nrow += ke
    # z_S + y_j <= 1
    rr = nrow + np.arange(ke)
    add(rr, ny + ge, np.ones(ke))
    add(rr, ue, np.ones(ke))
    lo.append(np.full(ke, -np.inf))
    hi.append(np.ones(ke))
    nrow += ke
    # sum y = p
    add(np.full(m, nrow), np.arange(m), np.ones(m))
    lo.append(np.array([float(prob.p)]))
    hi.append(np.array([float(prob.p)]))
    nrow += 1
    for units, coef, floor in cuts or []:  # sum coef x y[units] >= floor
        add(np.full(len(units), nrow), np.asarray(units), np.asarray(coef, dtype=float))
        lo.append(np.array([float(floor)]))
        hi.append(np.array([np.inf]))
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
    J = np.nonzero(vol_units)[0]
    bounded_low = prob.min_volume > 0 and len(J) > 0
    bounded_high = bool(np.isfinite(prob.max_volume)) and len(J) > 0
    VJ = V[J].tocoo()
    if bounded_low:  # vol_j + e_j - L y_j >= 0  (e_j: escaped admissions, 0 when exact)
        rr = nrow + np.arange(len(J))
        add(nrow + VJ.row, VJ.col, VJ.data)
        add(rr, ny + nz + J, np.ones(len(J)))
        add(rr, J, np.full(len(J), -prob.min_volume))
        lo.append(-vconst[J])
        hi.append(np.full(len(J), np.inf))
        nrow += len(J)
        # sum e_j <= sum_i w_i z_end(i)
        esc = np.zeros(ncol)
        np.add.at(esc, ny + end_ids, -w)
        esc[ny + nz + J] = 1.0
        nzc = np.nonzero(esc)[0]
        add(np.full(len(nzc), nrow), nzc, esc[nzc])
        lo.append(np.array([-np.inf]))
        hi.append(np.array([0.0]))
        nrow += 1
    if bounded_high:  # vol_j - U y_j <= 0
        rr = nrow + np.arange(len(J))
        add(nrow + VJ.row, VJ.col, VJ.data)
        add(rr, J, np.full(len(J), -prob.max_volume))
        lo.append(np.full(len(J), -np.inf))
        hi.append(-vconst[J])
        nrow += len(J)
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
    upper[ny + nz :] = 0.0
    if bounded_low:
        upper[ny + nz + J] = np.inf
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
    h.setOptionValue("output_flag", bool(os.environ.get("STPKIT_HIGHS_LOG")))
    h.setOptionValue("time_limit", max(float(time_limit) - (time.perf_counter() - began), 0.1))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("mip_heuristic_effort", 0.2)
    h.passModel(lp)
    if y0 is not None:  # a start, and the z values it implies (HiGHS checks it)
        z0 = np.zeros(nz)
        for s_id, (d, parent, unit) in enumerate(reps):  # parents come before their children
            z0[s_id] = (1.0 if d == 1 else z0[parent]) * (1.0 - y0[unit])
        start = highspy.HighsSolution()
        start.col_value = np.concatenate([y0, z0, np.zeros(ny)]).tolist()
        start.value_valid = True
        h.setSolution(start)
    run_highs(h, threads)
    status = h.modelStatusToString(h.getModelStatus()).lower()
    info = h.getInfo()
    if "infeasible" in status:
        return "infeasible", None, float("nan"), nsets
    if info.primal_solution_status != 2:  # no feasible point
        return status, None, float("nan"), nsets
    y = np.array(h.getSolution().col_value)[:ny]
    return status, y, float(info.mip_dual_bound), nsets
