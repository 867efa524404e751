"""Volume bounds under nearest-unit assignment as cuts on the choice of units alone.

Patients go to their nearest open unit, so a unit's admissions can only fall when another
unit opens: vol_j(Y) is non-increasing in the set Y of the other open units. Hence:

- if unit j gets fewer than L admissions with the units S open, it gets fewer than L with
  any superset of S open, and "j and every unit of S open" can never be part of an answer:
  (1 - y_j) + sum_{k in S} (1 - y_k) >= 1;
- if j gets more than U admissions with every unit outside A closed, it does so whenever
  the units of A stay closed: y_j <= sum_{k in A} y_k.

Each cut is found from an answer that breaks a bound and then shrunk (a unit leaves S, or
A, while the bound stays broken), so it names a handful of neighbouring units and is
checkable by hand: open those units and count. Added to the plain p-median model (no
volume rows at all) they give a relaxation whose optimum is optimal for the full problem
as soon as it meets every bound (logic-based Benders, or "branch and check": Hooker and
Ottosson 2003; Codato and Fischetti's combinatorial Benders cuts, 2006). The model stays
as small and fast as the unbounded one, and each round's proven bound is a bound on the
true optimum.

Ties between units at equal time go to the lower column index, as in `np.argmin`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class VolumeCut:
    """One forbidden or required pattern of units, with the volume that proves it."""

    unit: int  # the unit whose bound breaks
    others: tuple[int, ...]  # S (low) or A (high)
    kind: str  # "low": j and all of S never open together; "high": j open needs one of A
    volume: float  # j's admissions with S open (its most), or with A closed (its least)

    def row(self) -> tuple[np.ndarray, np.ndarray, float]:
        """The cut as (units, coefficients, floor): sum coef x y[units] >= floor."""
        if self.kind == "low":
            units = np.array([*self.others, self.unit])
            return units, -np.ones(len(units)), -float(len(self.others))
        units = np.array([*self.others, self.unit])
        coef = np.ones(len(units))
        coef[-1] = -1.0
        return units, coef, 0.0

    def holds(self, open_units: set[int]) -> bool:
        if self.unit not in open_units:
            return True
        if self.kind == "low":
            return not set(self.others) <= open_units
        return bool(set(self.others) & open_units)

    def describe(self, names: list[str], low: float, high: float) -> str:
        if self.kind == "low":
            return (
                f"{names[self.unit]} gets at most {self.volume:,.0f} (< {low:,.0f}) admissions "
                f"while {', '.join(names[k] for k in self.others) or 'nothing else'} "
                "is open"
            )
        return (
            f"{names[self.unit]} gets at least {self.volume:,.0f} (> {high:,.0f}) admissions "
            f"unless one of {', '.join(names[k] for k in self.others)} opens"
        )


class CutFinder:
    """Finds the cuts an answer breaks, on the full travel-time matrix (LSOAs x units)."""

    def __init__(
        self,
        T: np.ndarray,
        w: np.ndarray,
        low: float,
        high: float,
        always_open: tuple[int, ...] = (),
        exempt: tuple[int, ...] = (),
    ) -> None:
        self.TT = np.ascontiguousarray(T.T)  # (units, LSOAs): one unit's column is contiguous
        self.w = w
        self.low, self.high = low, high
        self.always_open = set(always_open)
        self.exempt = set(exempt)
        self.m = T.shape[1]

    def beats(self, j: int, k: int) -> np.ndarray:
        """LSOAs unit k takes from j when both are open (nearer, or as near and lower index)."""
        tj, tk = self.TT[j], self.TT[k]
        return (tk < tj) | ((tk == tj) & (k < j)) if k != j else np.zeros(len(tj), dtype=bool)

    def near_first(self, j: int, units: list[int]) -> list[int]:
        """`units` nearest to j first, by the time from j's own LSOA (the one it is nearest
        to): only the order of trying them depends on it, never a cut's validity."""
        home = int(np.argmin(self.TT[j]))
        return sorted(units, key=lambda k: (float(self.TT[k, home]), k))

    def volume(self, j: int, units: list[int]) -> float:
        """j's admissions with j and `units` open (nearest-unit assignment)."""
        taken = np.zeros(self.TT.shape[1], dtype=bool)
        for k in units:
            taken |= self.beats(j, k)
        return float(self.w @ ~taken)

    def low_cut(self, j: int, open_units: list[int]) -> VolumeCut | None:
        """A small set S of the open units that leaves j below the floor: open S's units
        one at a time, nearest to j first, until j's admissions fall below it, then drop
        any whose absence keeps them there (farthest first)."""
        S = [k for k in open_units if k != j]
        fixed = [k for k in S if k in self.always_open]  # open in every answer: free
        cnt = np.zeros(self.TT.shape[1], dtype=np.int32)
        for k in fixed:
            cnt += self.beats(j, k)
        vol = float(self.w @ (cnt == 0))
        added: list[tuple[int, np.ndarray]] = []
        for k in self.near_first(j, [k for k in S if k not in self.always_open]):
            if vol < self.low - 1e-6:
                break
            b = self.beats(j, k)
            vol -= float(self.w @ (b & (cnt == 0)))
            cnt += b
            added.append((k, b))
        if vol >= self.low - 1e-6:
            return None
        keep: list[int] = []
        for k, b in reversed(added):
            back = float(self.w @ (b & (cnt == 1)))
            if vol + back < self.low - 1e-6:
                vol += back
                cnt -= b
            else:
                keep.append(k)
        return VolumeCut(j, tuple(sorted(keep)), "low", vol)

    def high_cut(self, j: int, open_units: list[int]) -> VolumeCut | None:
        """A set A of closed units one of which must open if j stays open: close every
        unit but j's open neighbours' and A, and j still gets more than the ceiling."""
        cnt = np.zeros(self.TT.shape[1], dtype=np.int32)
        for k in open_units:
            cnt += self.beats(j, k)
        vol = float(self.w @ (cnt == 0))
        if vol <= self.high + 1e-6:
            return None
        rows = np.nonzero(cnt == 0)[0]  # j's LSOAs: only they can be taken from it
        w = self.w[rows]
        opened = set(open_units)
        taken = np.zeros(len(rows), dtype=bool)
        needed: list[int] = []
        # farthest first: a closed unit that stays closed in every answer the cut allows
        for k in reversed(self.near_first(j, [k for k in range(self.m) if k not in opened])):
            b = self.beats(j, k)[rows]
            lose = float(w @ (b & ~taken))
            if vol - lose > self.high + 1e-6:
                vol -= lose
                taken |= b
            else:
                needed.append(k)
        return VolumeCut(j, tuple(sorted(needed)), "high", vol)

    def cuts_for(self, open_units: list[int], probe_closed: bool = True) -> list[VolumeCut]:
        """Cuts broken by `open_units`; with `probe_closed`, also those a closed unit would
        break if it opened beside them (cuts the next answer is likely to need)."""
        out: list[VolumeCut] = []
        opened = sorted(set(open_units))
        # every unit's admissions if it opened beside the others (its own if open), at once
        sub = self.TT[opened]
        a = np.argmin(sub, axis=0)
        d1 = sub[a, np.arange(sub.shape[1])]
        first = np.array(opened)[a]
        vol_open = np.bincount(a, weights=self.w, minlength=len(opened))
        idx = np.arange(self.m)[:, None]
        wins = (d1[None, :] > self.TT) | ((d1[None, :] == self.TT) & (idx < first[None, :]))
        vol_new = wins.astype(float) @ self.w
        for i, j in enumerate(opened):
            if j in self.exempt:
                continue
            if vol_open[i] < self.low - 1e-6:
                cut = self.low_cut(j, opened)
                if cut is not None:
                    out.append(cut)
            if vol_open[i] > self.high + 1e-6:
                cut = self.high_cut(j, opened)
                if cut is not None:
                    out.append(cut)
        if probe_closed and self.low > 0:
            for j in range(self.m):
                if j in self.exempt or j in set(opened) or vol_new[j] >= self.low - 1e-6:
                    continue
                cut = self.low_cut(j, [*opened, j])
                if cut is not None:
                    out.append(cut)
        return out


def disjoint_low_cuts(cuts: list[VolumeCut]) -> list[VolumeCut]:
    """A large set of "low" cuts with no unit in common (greedy, smallest first): each
    needs a unit of its own closed, so if there are more of them than units that may close
    (m - p), no choice of p units meets the bounds, a proof anyone can check by counting."""
    chosen: list[VolumeCut] = []
    used: set[int] = set()
    for c in sorted((c for c in cuts if c.kind == "low"), key=lambda c: len(c.others)):
        units = {c.unit, *c.others}
        if not units & used:
            chosen.append(c)
            used |= units
    return chosen


def most_units(
    T: np.ndarray,
    w: np.ndarray,
    low: float,
    time_limit: float = 60.0,
    threads: int = 2,
) -> tuple[list[int], list[VolumeCut], bool]:
    """The largest set of units that can all be open with every one at least `low`
    admissions under nearest-unit assignment (Allen et al.'s "at most 85 units"): maximise
    the number open subject to the cuts so far, count, cut what breaks, repeat. Returns
    the units, the cuts, and whether the count is proven (False if time ran out)."""
    import time

    import highspy

    from stpkit import solver

    began = time.perf_counter()
    m = T.shape[1]
    finder = CutFinder(T, w, low, np.inf)
    cuts: list[VolumeCut] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()
    best: list[int] = []
    while time.perf_counter() - began < time_limit:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", max(time_limit - (time.perf_counter() - began), 0.1))
        inf = highspy.kHighsInf
        for _ in range(m):
            h.addVar(0.0, 1.0)
        h.changeColsCost(m, np.arange(m, dtype=np.int32), -np.ones(m))
        h.changeColsIntegrality(
            m, np.arange(m, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * m)
        )
        for c in cuts:
            idx, coef, floor = c.row()
            h.addRow(float(floor), inf, len(idx), idx.astype(np.int32), coef)
        solver.run(h, threads)
        if h.getInfo().primal_solution_status != 2:
            break
        y = np.array(h.getSolution().col_value)
        best = [int(j) for j in np.nonzero(y > 0.5)[0]]
        new = [c for c in finder.cuts_for(best, probe_closed=False) if c.kind == "low"]
        if not new:
            return best, cuts, "optimal" in h.modelStatusToString(h.getModelStatus()).lower()
        for c in new:
            if (c.unit, c.others) not in seen:
                seen.add((c.unit, c.others))
                cuts.append(c)
    return [], cuts, False  # time ran out: no set proven to meet the floor


__all__ = ["CutFinder", "VolumeCut", "disjoint_low_cuts", "most_units"]
