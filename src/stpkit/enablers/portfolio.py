"""Choosing the portfolio of initiatives that fits the resources (seed 000: "not
everything could be done at once").

Each initiative needs resources (money, WTE of each kind) in each period and has a value
(benefits, its contribution to the three gaps, less its risk, in one score). The choice
that maximises total value without any resource going over its limit in any period is an
integer programme (a multi-dimensional knapsack with dependencies), solved exactly with
HiGHS: `Choice.proven_optimal` says the solver closed the gap. The trade-off curve solves
it again as one resource's limit scales; `Choice.dropped` says why each initiative that
is left out is left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from stpkit import solver
from stpkit.enablers.errors import EnablersError

Key = tuple[str, str]  # (resource, period), e.g. ("money", "2018/19"), ("wte_nursing", ...)


@dataclass(frozen=True)
class Initiative:
    code: str
    name: str
    value: float
    needs: Mapping[Key, float]
    workstream: str = ""
    mandatory: bool = False  # must be in (e.g. a statutory duty)
    requires: tuple[str, ...] = ()  # codes of initiatives it cannot go ahead without


# The parts an initiative's value is scored in (seed 000: benefits, the contribution to
# each of the three Five Year Forward View gaps), before the points taken off for risk.
VALUE_PARTS = {
    "benefits": "Benefits",
    "health": "Health and wellbeing gap",
    "care": "Care and quality gap",
    "finance": "Funding and efficiency gap",
}


def combined_value(parts: Mapping[str, float], risk: float = 0.0) -> float:
    """One initiative's value from its parts: their sum less the risk, never below 0 (an
    initiative cannot be worth less than doing nothing)."""
    unknown = set(parts) - set(VALUE_PARTS)
    if unknown:
        raise EnablersError(f"Unknown value part(s): {', '.join(sorted(unknown))}")
    if any(v < 0 for v in parts.values()) or risk < 0:
        raise EnablersError("Value parts and risk are points of 0 or more")
    return max(0.0, float(sum(parts.values())) - float(risk))


@dataclass(frozen=True)
class Dropped:
    code: str
    reason: str


@dataclass
class Choice:
    chosen: list[str]
    value: float
    status: str
    proven_optimal: bool
    bound: float
    used: dict[Key, float] = field(default_factory=dict)
    limits: dict[Key, float] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    seconds: float = 0.0


def _check(initiatives: Sequence[Initiative], limits: Mapping[Key, float]) -> None:
    codes = [i.code for i in initiatives]
    seen: set[str] = set()
    for c in codes:
        if c in seen:
            raise EnablersError(f"Initiative code {c!r} appears twice")
        seen.add(c)
    for i in initiatives:
        for key, amount in i.needs.items():
            if amount < 0:
                raise EnablersError(f"{i.code}: need for {key[0]} in {key[1]} is negative")
        for r in i.requires:
            if r not in seen:
                raise EnablersError(f"{i.code} requires {r!r}, which is not an initiative")
    for key, cap in limits.items():
        if cap < 0:
            raise EnablersError(f"The limit for {key[0]} in {key[1]} is negative")


def choose(
    initiatives: Sequence[Initiative],
    limits: Mapping[Key, float],
    *,
    time_limit: float = 60.0,
) -> Choice:
    """The most valuable set of initiatives whose needs fit `limits` in every period.

    A need for a resource and period without a limit is not constrained.
    """
    import time

    started = time.perf_counter()
    _check(initiatives, limits)
    n = len(initiatives)
    if n == 0:
        keys0 = sorted(limits)
        return Choice(
            [],
            0.0,
            "optimal",
            True,
            0.0,
            {k: 0.0 for k in keys0},
            {k: float(limits[k]) for k in keys0},
        )
    index = {i.code: k for k, i in enumerate(initiatives)}
    keys = sorted(limits)
    row_of = {k: r for r, k in enumerate(keys)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for j, ini in enumerate(initiatives):
        for key, amount in ini.needs.items():
            r = row_of.get(key)
            if r is not None and amount:
                rows.append(r)
                cols.append(j)
                vals.append(float(amount))
    lower = [-np.inf] * len(keys)
    upper = [float(limits[k]) for k in keys]
    # dependencies: x_i - x_j <= 0
    for ini in initiatives:
        for req in ini.requires:
            r = len(upper)
            rows += [r, r]
            cols += [index[ini.code], index[req]]
            vals += [1.0, -1.0]
            lower.append(-np.inf)
            upper.append(0.0)
    nrow = len(upper)
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(nrow, n))
    a.sum_duplicates()
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = nrow
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.array([float(i.value) for i in initiatives])
    lp.col_lower_ = np.array([1.0 if i.mandatory else 0.0 for i in initiatives])
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(os.environ.get("STPKIT_HIGHS_LOG")))
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    # With whole-number values a better portfolio is worth at least 1 more, so closing
    # the gap to under 1 proves optimality; otherwise the gap must close to ~0.
    integral = all(float(i.value).is_integer() for i in initiatives)
    h.setOptionValue("mip_abs_gap", 0.999 if integral else 1e-6)
    h.passModel(lp)
    start = _greedy(initiatives, limits)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = [1.0 if i.code in start else 0.0 for i in initiatives]
        sol.value_valid = True
        h.setSolution(sol)
    run_status = solver.run(h)
    if run_status == highspy.HighsStatus.kError:
        raise EnablersError("HiGHS could not solve the portfolio; set STPKIT_HIGHS_LOG=1")
    status = h.modelStatusToString(h.getModelStatus()).lower()
    info = h.getInfo()
    if "infeasible" in status:
        raise EnablersError(
            "No portfolio fits: the mandatory initiatives (and what they require) "
            "already need more than the limits allow"
        )
    if info.primal_solution_status != 2:
        raise EnablersError(f"HiGHS found no portfolio in time (status {status})")
    x = np.array(h.getSolution().col_value) > 0.5
    picked = [initiatives[j] for j in range(n) if x[j]]
    chosen = [i.code for i in picked]
    used = {k: 0.0 for k in keys}
    for ini in picked:
        for key, amount in ini.needs.items():
            if key in used:
                used[key] += amount
    value = float(sum(i.value for i in picked))
    choice = Choice(
        chosen=chosen,
        value=value,
        status=status,
        proven_optimal=status == "optimal",
        bound=float(info.mip_dual_bound),
        used=used,
        limits={k: float(limits[k]) for k in keys},
    )
    choice.dropped = _why_dropped(initiatives, choice)
    choice.seconds = time.perf_counter() - started
    return choice


def _greedy(initiatives: Sequence[Initiative], limits: Mapping[Key, float]) -> set[str] | None:
    """A feasible start: the mandatory ones, then by value per share of the limits used."""
    left = dict(limits)
    chosen: set[str] = set()

    def weight(i: Initiative) -> float:
        return sum(a / left[k] if left.get(k) else a for k, a in i.needs.items() if k in left)

    def take(i: Initiative) -> bool:
        if any(r not in chosen for r in i.requires):
            return False
        if any(k in left and a > left[k] + 1e-9 for k, a in i.needs.items()):
            return False
        for k, a in i.needs.items():
            if k in left:
                left[k] -= a
        chosen.add(i.code)
        return True

    for i in initiatives:
        if i.mandatory and not take(i):
            return None
    ranked = sorted(
        (i for i in initiatives if not i.mandatory and i.value > 0),
        key=lambda i: -i.value / (weight(i) or 1e-9),
    )
    for _ in range(2):  # a second pass picks up those whose prerequisite came later
        for i in ranked:
            if i.code not in chosen:
                take(i)
    return chosen


def _why_dropped(initiatives: Sequence[Initiative], choice: Choice) -> list[Dropped]:
    chosen = set(choice.chosen)
    out = []
    for ini in initiatives:
        if ini.code in chosen:
            continue
        missing = [r for r in ini.requires if r not in chosen]
        over = []
        for key, amount in sorted(ini.needs.items()):
            if key not in choice.limits or not amount:
                continue
            short = choice.used[key] + amount - choice.limits[key]
            if short > 1e-9:
                over.append(f"{key[0]} in {key[1]} by {short:,.1f}")
        parts = []
        if ini.value <= 0:
            parts.append("it adds no value")
        if missing:
            parts.append("it requires " + ", ".join(missing) + ", left out")
        if over:
            parts.append(
                "adding it would overrun " + "; ".join(over) + ": what is chosen instead "
                "gives more value for those resources"
            )
        if not parts:
            parts.append("left out with equal value (a tie)")
        out.append(Dropped(ini.code, "; ".join(parts)))
    return out


@dataclass(frozen=True)
class CurvePoint:
    scale: float
    value: float
    chosen: int
    proven_optimal: bool


def trade_off_curve(
    initiatives: Sequence[Initiative],
    limits: Mapping[Key, float],
    resource: str = "money",
    scales: Iterable[float] = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5),
    *,
    time_limit: float = 30.0,
) -> list[CurvePoint]:
    """Total value of the best portfolio as the limit of `resource` (every period) scales;
    the other resources stay as they are."""
    points = []
    for s in scales:
        scaled = {k: (v * s if k[0] == resource else v) for k, v in limits.items()}
        try:
            c = choose(initiatives, scaled, time_limit=time_limit)
        except EnablersError:
            points.append(CurvePoint(s, float("nan"), 0, False))
            continue
        points.append(CurvePoint(s, c.value, len(c.chosen), c.proven_optimal))
    return points
