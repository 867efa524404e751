"""Demand and capacity in five years, with uncertainty: a Monte Carlo over the assumptions.

Each of `draws` runs draws every uncertain assumption from its range (uniform between the
low and high of each `Range` in `DemandAssumptions`, independently) and projects:

1. **Demography** per locality, single years of age by sex, from the people alive at the
   end of the base year: ageing one year a year; deaths q(age) = min(1, a x exp(b x age))
   times a drawn *mortality multiplier*; births the base year's 0-year-olds changing by a
   drawn rate a year; a drawn *net migration* share of each age a year.
2. **Activity**: each setting's base-year rate per person by sex and single year of age
   (partnership-wide), times each locality's base-year ratio of observed to expected
   (indirect standardisation), times a drawn *non-demographic growth* a year per setting.
   Admitted care is split into emergency and elective (all other) admissions.
3. **Local care scenario** beside the baseline: a drawn share of emergency admissions of
   people 65 and over (rising linearly to it by the last year) is avoided, each becoming a
   drawn number of community contacts.
4. **Capacity**: bed days = admissions x a drawn mean length of stay (emergency under 65,
   emergency 65 and over, elective); beds = bed days / 365 / the target occupancy.
5. **By condition**: each age group's projected activity in a setting shared among the
   long-term conditions as in the base year (people with the condition's share of the
   group's activity; a person with two conditions counts under both).

Results are the 10th, 50th and 90th percentiles over the draws (an 80% interval). All
arithmetic is vectorised numpy over (draw, locality, sex, age).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from stpkit.kid.pipeline.insight_store import SETTINGS, InsightStore

MAX_AGE = 100
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0-17", 0, 17), ("18-64", 18, 64), ("65-84", 65, 84), ("85+", 85, MAX_AGE),
)  # fmt: skip
# The settings projected: the store's settings with admitted care split in two.
DEMAND_SETTINGS: dict[str, str] = {
    **{s: label for s, label in SETTINGS.items() if s != "apc"},
    "apc_emergency": "Emergency admissions",
    "apc_elective": "Elective and other admissions",
}
CAPACITY: dict[str, str] = {"bed_days": "Bed days", "beds": "Beds at target occupancy"}


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.high < self.low:
            raise ValueError(f"range {self.low} to {self.high}: the high is below the low")
        return rng.uniform(self.low, self.high, n)


@dataclass(frozen=True)
class DemandAssumptions:
    """Every assumption of the Monte Carlo, each uncertain one a range (drawn uniformly)."""

    years: int = 5
    draws: int = 1000
    seed: int = 2026
    occupancy: float = 0.92
    mortality_a: float = 2.0e-5
    mortality_b: float = 0.095
    mortality_multiplier: Range = field(default_factory=lambda: Range(0.9, 1.1))
    births_change: Range = field(default_factory=lambda: Range(-0.02, 0.01))
    net_migration: Range = field(default_factory=lambda: Range(0.0, 0.008))
    growth: Range = field(default_factory=lambda: Range(-0.005, 0.02))
    avoided_share: Range = field(default_factory=lambda: Range(0.05, 0.25))
    community_per_avoided: Range = field(default_factory=lambda: Range(3.0, 7.0))
    los_emergency_under_65: Range = field(default_factory=lambda: Range(2.5, 4.0))
    los_emergency_65_plus: Range = field(default_factory=lambda: Range(6.0, 9.0))
    los_elective: Range = field(default_factory=lambda: Range(1.0, 2.0))

    def describe(self) -> list[tuple[str, str]]:
        """(assumption, value or range) for the page: every assumption, none hidden."""
        labels = {
            "years": "Horizon (years from the base year)",
            "draws": "Monte Carlo draws",
            "seed": "Random seed",
            "occupancy": "Target bed occupancy",
            "mortality_a": "Deaths: Gompertz a in q(age) = a x exp(b x age)",
            "mortality_b": "Deaths: Gompertz b",
            "mortality_multiplier": "Deaths: multiplier on q(age)",
            "births_change": "Births: change a year on the base year's 0-year-olds",
            "net_migration": "Net migration: share of each age a year",
            "growth": "Activity rates: non-demographic growth a year (every setting)",
            "avoided_share": "Local care: emergency admissions of people 65+ avoided by the "
            "last year",
            "community_per_avoided": "Local care: community contacts per avoided admission",
            "los_emergency_under_65": "Length of stay, emergency, under 65 (days)",
            "los_emergency_65_plus": "Length of stay, emergency, 65 and over (days)",
            "los_elective": "Length of stay, elective and other (days)",
        }
        pct = {"births_change", "net_migration", "growth", "avoided_share", "occupancy"}
        out = []
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Range):
                text = (
                    f"{v.low:+.1%} to {v.high:+.1%}"
                    if f.name in pct
                    else f"{v.low:g} to {v.high:g}"
                )
                text += " (uniform)"
            else:
                text = f"{v:.0%}" if f.name in pct else f"{v:g}"
            out.append((labels[f.name], text))
        return out


@dataclass
class DemandInputs:
    """Base-year counts the projection starts from (summed inside the pseudonymised zone)."""

    base_year: int
    localities: list[str]
    in_year: np.ndarray  # (locality, sex, age): everyone alive at some point of the year
    survivors: np.ndarray  # (locality, sex, age): alive at its end
    activity: np.ndarray  # (setting, locality, sex, age): base-year contacts
    condition_share: np.ndarray  # (condition, setting, age group)
    conditions: list[str]


def _age_group_index() -> np.ndarray:
    ages = np.arange(MAX_AGE + 1)
    return np.select([ages <= hi for _, _, hi in AGE_GROUPS], list(range(len(AGE_GROUPS))))


def demand_inputs(store: InsightStore, table: Path, base_year: int) -> DemandInputs:
    """The base year's population and activity by locality, sex and age, from the per-person
    table (`dashboards.segments_table`), and the conditions' shares of activity."""
    shift = base_year - store.reference_date.year
    params = {"shift": shift, "max": MAX_AGE, "t": str(table)}
    age = "least(greatest(age + $shift, 0), $max)"
    sums = ", ".join(f"sum(n_{s}) AS n_{s}" for s in SETTINGS)
    wide = store.con.execute(
        f"SELECT locality, sex, {age} AS age, count(*) AS people, "
        f"count(*) FILTER (WHERE NOT died) AS survivors, {sums}, "
        "sum(emergency_admissions) AS n_apc_emergency "
        "FROM read_parquet($t) WHERE age + $shift >= 0 GROUP BY ALL",
        params,
    ).df()
    wide["n_apc_elective"] = wide.n_apc - wide.n_apc_emergency
    localities = sorted(wide.locality.astype(str).unique())
    sexes = sorted(wide.sex.astype(str).unique())
    li = wide.locality.astype(str).map({v: i for i, v in enumerate(localities)}).to_numpy()
    si = wide.sex.astype(str).map({v: i for i, v in enumerate(sexes)}).to_numpy()
    ai = wide.age.to_numpy(dtype=int)
    shape = (len(localities), 2, MAX_AGE + 1)
    in_year, survivors = np.zeros(shape), np.zeros(shape)
    np.add.at(in_year, (li, np.minimum(si, 1), ai), wide.people.to_numpy(float))
    np.add.at(survivors, (li, np.minimum(si, 1), ai), wide.survivors.to_numpy(float))
    activity = np.zeros((len(DEMAND_SETTINGS), *shape))
    for k, s in enumerate(DEMAND_SETTINGS):
        np.add.at(activity[k], (li, np.minimum(si, 1), ai), wide[f"n_{s}"].to_numpy(float))
    by_cond = store.con.execute(
        """SELECT c.condition, CASE WHEN a.setting = 'apc' AND a.emergency THEN 'apc_emergency'
                   WHEN a.setting = 'apc' THEN 'apc_elective' ELSE a.setting END AS setting,
                   least(greatest(p.age + $shift, 0), $max) AS age, count(*) AS n
            FROM activity a JOIN person p USING (person_token)
            JOIN condition c USING (person_token) WHERE a.year = $year GROUP BY ALL""",
        {"shift": shift, "max": MAX_AGE, "year": base_year},
    ).df()
    conditions = sorted(by_cond.condition.astype(str).unique())
    group = _age_group_index()
    totals = np.zeros((len(DEMAND_SETTINGS), len(AGE_GROUPS)))
    for k in range(len(DEMAND_SETTINGS)):
        totals[k] = np.bincount(group, weights=activity[k].sum(axis=(0, 1)), minlength=4)
    share = np.zeros((len(conditions), len(DEMAND_SETTINGS), len(AGE_GROUPS)))
    if len(by_cond):
        ci = by_cond.condition.astype(str).map({c: i for i, c in enumerate(conditions)})
        ki = by_cond.setting.map({s: i for i, s in enumerate(DEMAND_SETTINGS)})
        ok = ki.notna().to_numpy()
        np.add.at(
            share,
            (ci.to_numpy()[ok], ki.to_numpy()[ok].astype(int), group[by_cond.age.to_numpy()[ok]]),
            by_cond.n.to_numpy(float)[ok],
        )
        share = np.divide(share, totals[None], out=np.zeros_like(share), where=totals[None] > 0)
    return DemandInputs(base_year, localities, in_year, survivors, activity, share, conditions)


@dataclass
class DemandResult:
    """Percentiles (10th, 50th, 90th) over the draws."""

    assumptions: DemandAssumptions
    base_year: int
    by_setting: pd.DataFrame  # year, scenario, measure, p10, p50, p90 (settings and capacity)
    by_locality: pd.DataFrame  # scenario, locality, measure, p10, p50, p90 (last year)
    by_condition: pd.DataFrame  # scenario, condition, measure, p10, p50, p90 (last year)


def _pct(x: np.ndarray) -> np.ndarray:
    """10th, 50th and 90th percentiles over the first axis (draws)."""
    return np.percentile(x, [10, 50, 90], axis=0)


def simulate(inputs: DemandInputs, a: DemandAssumptions | None = None) -> DemandResult:
    """The Monte Carlo: every draw's projection at once (arrays lead with the draw axis)."""
    a = a or DemandAssumptions()
    rng = np.random.default_rng(a.seed)
    d = a.draws
    ages = np.arange(MAX_AGE + 1)
    group = _age_group_index()
    n_groups = len(AGE_GROUPS)
    # Rates per person by setting, sex, age (partnership), and localities' indirect ratios.
    pop_sa = inputs.in_year.sum(axis=0)  # (sex, age)
    act_sa = inputs.activity.sum(axis=1)  # (setting, sex, age)
    rates = np.divide(act_sa, pop_sa[None], out=np.zeros_like(act_sa), where=pop_sa[None] > 0)
    expected = np.einsum("lxa,sxa->sl", inputs.in_year, rates)
    observed = inputs.activity.sum(axis=(2, 3))
    ratio = np.divide(observed, expected, out=np.ones_like(observed), where=expected > 0)
    mort = a.mortality_multiplier.draw(rng, d)
    births = a.births_change.draw(rng, d)
    migration = a.net_migration.draw(rng, d)
    growth = a.growth.draw(rng, d)
    avoided = a.avoided_share.draw(rng, d)
    per_avoided = a.community_per_avoided.draw(rng, d)
    los_u65 = a.los_emergency_under_65.draw(rng, d)
    los_65 = a.los_emergency_65_plus.draw(rng, d)
    los_el = a.los_elective.draw(rng, d)
    q = np.minimum(1.0, mort[:, None] * a.mortality_a * np.exp(a.mortality_b * ages)[None])
    # Rates summed into age groups after multiplying by each age's population.
    onehot = np.zeros((MAX_AGE + 1, n_groups))
    onehot[ages, group] = 1.0
    n_loc, n_set = len(inputs.localities), len(DEMAND_SETTINGS)
    # weights[(sex, age), (setting, group)] = rate if the age is in the group, else 0
    weights = np.einsum("sxa,ag->xasg", rates, onehot).reshape(2 * (MAX_AGE + 1), -1)
    keys = list(DEMAND_SETTINGS)
    e_idx, el_idx, c_idx = (
        keys.index("apc_emergency"),
        keys.index("apc_elective"),
        keys.index("community"),
    )
    older = np.array([lo >= 65 for _, lo, _ in AGE_GROUPS])
    current = np.broadcast_to(inputs.survivors, (d, *inputs.survivors.shape)).copy()
    base_births = inputs.survivors[:, :, 0]
    rows_setting: list[tuple[int, str, str, np.ndarray]] = []
    last: dict[str, np.ndarray] = {}
    for t in range(a.years + 1):
        if t == 0:
            users = np.broadcast_to(inputs.in_year, current.shape)
        else:
            survivors = current * (1 - q)[:, None, None, :]
            nxt = np.zeros_like(current)
            nxt[..., 1:] = survivors[..., :-1]
            nxt[..., MAX_AGE] += survivors[..., MAX_AGE]
            nxt[..., 0] = base_births[None] * ((1 + births) ** t)[:, None, None]
            current = nxt * (1 + migration)[:, None, None, None]
            users = current
        # act[d, setting, locality, age group]
        flat = users.reshape(d * n_loc, -1) @ weights  # one matrix product per year
        act = flat.reshape(d, n_loc, n_set, n_groups).transpose(0, 2, 1, 3)
        act = act * ratio[None, :, :, None] * ((1 + growth) ** t)[:, None, None, None]
        share = avoided * t / a.years if a.years else np.zeros(d)
        moved = act[:, e_idx][..., older].sum(axis=-1) * share[:, None]  # (d, locality)
        scen = {"baseline": act}
        local = act.copy()
        local[:, e_idx][..., older] *= (1 - share)[:, None, None]
        local[:, c_idx, :, 0] += moved * per_avoided[:, None]  # community, any age group
        scen["local care"] = local
        for name, arr in scen.items():
            los = np.stack(
                [np.where(older[g], los_65, los_u65) for g in range(n_groups)], axis=-1
            )  # (d, group)
            bed_days = (arr[:, e_idx] * los[:, None, :]).sum(axis=-1) + arr[:, el_idx].sum(
                axis=-1
            ) * los_el[:, None]  # (d, locality)
            beds = bed_days / 365.0 / a.occupancy
            totals = arr.sum(axis=(2, 3))  # (d, setting)
            for k, s in enumerate(keys):
                rows_setting.append((inputs.base_year + t, name, s, totals[:, k]))
            rows_setting.append((inputs.base_year + t, name, "bed_days", bed_days.sum(axis=1)))
            rows_setting.append((inputs.base_year + t, name, "beds", beds.sum(axis=1)))
            if t == a.years:
                last[name] = arr
                last[f"{name}:bed_days"] = bed_days
                last[f"{name}:beds"] = beds
    by_setting = _frame(
        [(y, sc, m, _pct(v)) for y, sc, m, v in rows_setting], ["year", "scenario", "measure"]
    )
    loc_rows, cond_rows = [], []
    for name in ("baseline", "local care"):
        arr = last[name]
        for li, loc in enumerate(inputs.localities):
            for k, s in enumerate(keys):
                loc_rows.append((name, loc, s, _pct(arr[:, k, li].sum(axis=-1))))
            for m in CAPACITY:
                loc_rows.append((name, loc, m, _pct(last[f"{name}:{m}"][:, li])))
        by_group = arr.sum(axis=2)  # (d, setting, group)
        cond = np.einsum("dsg,csg->dcs", by_group, inputs.condition_share)
        for ci, c in enumerate(inputs.conditions):
            for k, s in enumerate(keys):
                cond_rows.append((name, c, s, _pct(cond[:, ci, k])))
    return DemandResult(
        a,
        inputs.base_year,
        by_setting,
        _frame(loc_rows, ["scenario", "locality", "measure"]),
        _frame(cond_rows, ["scenario", "condition", "measure"]),
    )


def _frame(rows: list[tuple], keys: list[str]) -> pd.DataFrame:  # type: ignore[type-arg]
    out = pd.DataFrame([r[:-1] for r in rows], columns=keys)
    pct = np.array([r[-1] for r in rows]).reshape(len(rows), 3) if rows else np.zeros((0, 3))
    out["p10"], out["p50"], out["p90"] = pct[:, 0], pct[:, 1], pct[:, 2]
    return out
