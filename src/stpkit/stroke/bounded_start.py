"""A start for the site-choice MILP that respects the volume bounds.

Plain greedy and interchange minimise travel time and ignore the bounds, so with a floor
of, say, 600 admissions a unit their answer is infeasible and HiGHS starts with nothing.
`bounded_interchange` swaps one open unit for a closed one, choosing the swap that most
lowers the total violation of the bounds (admissions below the floor or above the ceiling,
summed over the open units), then, once the violation is zero, the travel time. Every swap
is priced at once: with LSOAs assigned to their nearest open unit a, second nearest b and
d1, d2 minutes, opening j and closing r gives j every LSOA with T_ij < d1 (or, among r's,
T_ij < d2), and r's remaining LSOAs go to their second unit b; those sums are bincounts.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse


def _violation(vol: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.maximum(low - vol, 0.0) + np.maximum(vol - high, 0.0)


def drop_start(T: np.ndarray, w: np.ndarray, p: int, keep_open: tuple[int, ...] = ()) -> list[int]:
    """Open every unit, then close the one with the fewest admissions (never one of
    `keep_open`) until p remain: closing the smallest units first tends to lift every
    remaining unit above a volume floor, where adding units greedily leaves small ones."""
    chosen = list(range(T.shape[1]))
    fixed = set(keep_open)
    while len(chosen) > p:
        a = np.argmin(T[:, chosen], axis=1)
        vol = np.bincount(a, weights=w, minlength=len(chosen))
        vol[[i for i, c in enumerate(chosen) if c in fixed]] = np.inf
        chosen.pop(int(np.argmin(vol)))
    return sorted(chosen)


def bounded_interchange(
    T: np.ndarray,
    w: np.ndarray,
    sites: list[int],
    low: float,
    high: float,
    keep_open: tuple[int, ...] = (),
    exempt: tuple[int, ...] = (),
    max_swaps: int = 400,
    seconds: float = 10.0,
) -> tuple[list[int], float]:
    """Swap units until the bounds hold (then while time falls): the units and the
    violation left (0: every open unit, but the `exempt`, is within [low, high]).
    `keep_open` units are never closed."""
    n, m = T.shape
    chosen = sorted(sites)
    p = len(chosen)
    if p < 2:
        return chosen, float("nan")
    rows = np.arange(n)
    stop = time.perf_counter() + seconds
    fixed = set(keep_open)
    exempt_mask = np.zeros(m, dtype=bool)
    exempt_mask[list(exempt)] = True
    violation = np.inf
    for _ in range(max_swaps):
        sub = T[:, chosen]
        order2 = np.argpartition(sub, 1, axis=1)[:, :2]
        first = np.take_along_axis(sub, order2, axis=1)
        swap = first[:, 1] < first[:, 0]
        a = np.where(swap, order2[:, 1], order2[:, 0])  # index in `chosen`
        b = np.where(swap, order2[:, 0], order2[:, 1])
        d1, d2 = sub[rows, a], sub[rows, b]
        vol = np.bincount(a, weights=w, minlength=p)
        units = np.array(chosen)
        bounded = ~exempt_mask[units]
        violation = float((_violation(vol, low, high) * bounded).sum())
        current = float(w @ d1)
        if time.perf_counter() > stop:
            break
        owner = sparse.csr_matrix((w, (a, rows)), shape=(p, n))
        closer1 = d1[:, None] > T  # (n, m): j would take LSOA i from its unit
        closer2 = d2[:, None] > T
        gain = w @ closer1  # (m,)
        lose_to = owner @ closer1  # (p, m): admissions unit u loses to j
        lose_r2 = owner @ closer2  # (p, m): of r's LSOAs, those j takes when r closes
        m1 = np.minimum(d1[:, None], T)
        cost = (w @ m1)[None, :] + owner @ (np.minimum(d2[:, None], T) - m1)
        best = (np.inf, np.inf, -1, -1)
        key = a * p + b
        for j in range(m):
            if j in chosen:
                continue
            # admissions that move from r to its second unit u when r closes and j opens
            stay = w * (~closer2[:, j])
            moved = np.bincount(key, weights=stay, minlength=p * p).reshape(p, p)
            # volumes of every open unit u (rows: which r closes)
            new = vol[None, :] - lose_to[:, j][None, :] + moved
            new[np.arange(p), np.arange(p)] = 0.0
            v_other = (_violation(new, low, high) * bounded[None, :]).sum(axis=1)
            v_other -= _violation(np.zeros(p), low, high) * bounded  # r itself is closed
            vol_j = gain[j] - lose_to[:, j] + lose_r2[:, j]
            v_j = 0.0 if exempt_mask[j] else _violation(vol_j, low, high)
            total = v_other + v_j
            for r in range(p):
                if chosen[r] in fixed:
                    total[r] = np.inf
            r = int(np.argmin(total + cost[:, j] * 1e-9 / max(current, 1.0)))
            cand = (float(total[r]), float(cost[r, j]), r, j)
            if cand[:2] < best[:2]:
                best = cand
        v_new, c_new, r, j = best
        improves = v_new < violation - 1e-6 or (
            v_new <= violation + 1e-6 and violation <= 1e-6 and c_new < current * (1 - 1e-12)
        )
        if r < 0 or not improves:
            break
        chosen = sorted([*(c for i, c in enumerate(chosen) if i != r), j])
    return chosen, violation


__all__ = ["bounded_interchange", "drop_start"]
