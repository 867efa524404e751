"""Five-year demand projection: who will live here, what care they will use, what it costs.

Method (every assumption is a field of `Assumptions`, printed with the results):

1. **Demography** (cohort component, single years of age by sex), from the people alive at
   the end of the base year (recorded deaths removed): each year everyone ages by
   one year; deaths follow a Gompertz curve q(age) = min(1, `mortality_a` * exp(`mortality_b`
   * age)); births each year equal the base year's 0-year-olds times (1 + `births_change`)
   per year; net migration adds `net_migration` of each age group each year.
2. **Rates**: each setting's activity per person alive in the base year, by 5-year age band
   and sex (so end-of-life care is in the rates), is held at the base year's rate, changed
   by `rate_change[setting]` a year (compounded); unit cost per contact is the base year's
   mean, in base-year prices.
3. **Local care scenario**: a share of emergency admissions of people 65 and over, rising
   linearly to `shift_share` in the last year, is treated in the community instead; each
   avoided admission becomes `community_contacts_per_admission` community contacts.

Everything runs on counts summed inside the pseudonymised zone; the outputs are
populations of age groups and activity totals (large numbers), safe to publish after the
usual disclosure rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from stpkit.kid.pipeline.insight_store import SETTINGS, InsightStore, alive_from

MAX_AGE = 100


@dataclass(frozen=True)
class Assumptions:
    years: int = 5
    mortality_a: float = 2.0e-5
    mortality_b: float = 0.095
    births_change: float = 0.0
    net_migration: float = 0.004
    rate_change: dict[str, float] = field(default_factory=dict)
    shift_share: float = 0.15
    community_contacts_per_admission: float = 5.0

    def describe(self) -> list[str]:
        d = asdict(self)
        return [
            f"Horizon: {d['years']} years from the base year.",
            f"Deaths: q(age) = {self.mortality_a:g} x exp({self.mortality_b:g} x age), "
            "capped at 1.",
            f"Births: the base year's 0-year-olds, changing {self.births_change:+.1%} a year.",
            f"Net migration: {self.net_migration:+.1%} of each age group a year.",
            "Activity rates by age band and sex held at the base year"
            + (f", changing {self.rate_change} a year." if self.rate_change else "."),
            f"Local care scenario: up to {self.shift_share:.0%} of emergency admissions of people "
            f"65 and over treated in the community by the last year, each becoming "
            f"{self.community_contacts_per_admission:g} community contacts.",
            "Costs in base-year prices: the base year's mean cost per contact in each setting.",
        ]


@dataclass
class Projection:
    base_year: int
    assumptions: Assumptions
    population: pd.DataFrame  # year, age_group, people
    demand: pd.DataFrame  # year, scenario, setting, activity, cost

    def over65_growth(self) -> float:
        p = self.population.pivot_table(
            index="year", columns="age_group", values="people", aggfunc="sum"
        )
        older = p[["65-84", "85+"]].sum(axis=1)
        return float(older.iloc[-1] / older.iloc[0] - 1)


def age_group(age: np.ndarray) -> np.ndarray:
    return np.select([age < 18, age < 65, age < 85], ["0-17", "18-64", "65-84"], default="85+")


def _inputs_from_store(
    store: InsightStore, base_year: int, shift: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(age, sex, survived, n) of everyone alive in the base year; (age, sex, setting,
    emergency, n, cost) of its activity: read from the store's views."""
    # Everyone alive at some point of the base year (the rates' denominators), and whether
    # they were still alive at its end (the population carried forward).
    pop = store.con.execute(
        f"SELECT least(greatest(age + ?, 0), ?) AS age, sex, "
        f"{alive_from(base_year + 1)} AS survived, count(*) AS n FROM person p "
        f"WHERE age + ? >= 0 AND {alive_from(base_year)} GROUP BY ALL",
        [shift, MAX_AGE, shift],
    ).df()
    acts = store.con.execute(
        """SELECT least(greatest(p.age + ?, 0), ?) AS age, p.sex, a.setting,
                  (a.setting = 'apc' AND a.emergency) AS emergency,
                  count(*) AS n, sum(a.cost) AS cost
           FROM activity a JOIN person p USING (person_token) WHERE a.year = ? GROUP BY ALL""",
        [shift, MAX_AGE, base_year],
    ).df()
    return pop, acts


def _inputs_from_table(
    store: InsightStore, table: Path, shift: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same inputs from the base year's per-person table (`dashboards.segments_table`),
    which holds everyone alive at the start of that year with their contacts and costs."""
    age = "least(greatest(age + $shift, 0), $max)"
    params = {"shift": shift, "max": MAX_AGE, "t": str(table)}
    pop = store.con.execute(
        f"SELECT {age} AS age, sex, NOT died AS survived, count(*) AS n "
        "FROM read_parquet($t) WHERE age + $shift >= 0 GROUP BY ALL",
        params,
    ).df()
    sums = ", ".join(f"sum(n_{s}) AS n_{s}, sum(cost_{s}) AS cost_{s}" for s in SETTINGS)
    wide = store.con.execute(
        f"SELECT {age} AS age, sex, {sums}, sum(emergency_admissions) AS n_emergency, "
        "sum(emergency_admissions_cost) AS cost_emergency "
        "FROM read_parquet($t) WHERE age + $shift >= 0 GROUP BY ALL",
        params,
    ).df()
    parts = []
    for s in SETTINGS:
        emergency = s == "apc"
        n = wide[f"n_{s}"] - (wide.n_emergency if emergency else 0)
        cost = wide[f"cost_{s}"] - (wide.cost_emergency if emergency else 0)
        parts.append(wide[["age", "sex"]].assign(setting=s, emergency=False, n=n, cost=cost))
    parts.append(
        wide[["age", "sex"]].assign(
            setting="apc", emergency=True, n=wide.n_emergency, cost=wide.cost_emergency
        )
    )
    acts = pd.concat(parts, ignore_index=True)
    return pop, acts[acts.n > 0].reset_index(drop=True)


def project(
    store: InsightStore,
    assumptions: Assumptions | None = None,
    base_year: int | None = None,
    table: Path | None = None,
) -> Projection:
    """Project five years on from `base_year` (default the latest).

    `table` is that year's per-person table (`dashboards.segments_table`, cached per store
    version): with it the inputs are summed from its rows instead of the whole store, with
    the same result.
    """
    a = assumptions or Assumptions()
    base_year = base_year or max(store.years())
    shift = base_year - store.reference_date.year
    if table is None:
        pop, acts = _inputs_from_store(store, base_year, shift)
    else:
        pop, acts = _inputs_from_table(store, table, shift)
    sexes = sorted(pop.sex.unique())
    sex_idx = pop.sex.map({v: i for i, v in enumerate(sexes)}).to_numpy(dtype=int)
    at = (sex_idx, pop.age.to_numpy(dtype=int))
    in_year = np.zeros((len(sexes), MAX_AGE + 1))
    np.add.at(in_year, at, pop.n.to_numpy(dtype=float))
    grid = np.zeros_like(in_year)
    np.add.at(grid, at, (pop.n * pop.survived).to_numpy(dtype=float))
    ages = np.arange(MAX_AGE + 1)
    band = np.minimum(ages // 5, 18)
    # rates[setting, emergency][sex, age] per person, pooled over 5-year bands for stability
    rates: dict[tuple[str, bool], np.ndarray] = {}
    unit_cost: dict[str, float] = {}
    band_pop = np.zeros((len(sexes), 19))
    for s in range(len(sexes)):
        band_pop[s] = np.bincount(band, weights=in_year[s], minlength=19)
    for (setting, emerg), part in acts.groupby(["setting", "emergency"]):
        counts = np.zeros((len(sexes), 19))
        rows_sex = part.sex.map({v: i for i, v in enumerate(sexes)}).to_numpy(dtype=int)
        rows_band = band[part.age.to_numpy(dtype=int)]
        np.add.at(counts, (rows_sex, rows_band), part.n.to_numpy(dtype=float))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(band_pop > 0, counts / band_pop, 0.0)
        rates[(str(setting), bool(emerg))] = r[:, band]
    for setting, part in acts.groupby("setting"):
        unit_cost[str(setting)] = float(part.cost.sum() / part.n.sum())
    q = np.minimum(1.0, a.mortality_a * np.exp(a.mortality_b * ages))
    births = grid[:, 0].copy()
    pop_rows, demand_rows = [], []
    current = grid.copy()
    for t in range(a.years + 1):
        year = base_year + t
        if t > 0:
            survivors = current * (1 - q)[None, :]
            nxt = np.zeros_like(current)
            nxt[:, 1:] = survivors[:, :-1]
            nxt[:, MAX_AGE] += survivors[:, MAX_AGE]
            nxt[:, 0] = births * (1 + a.births_change) ** t
            current = nxt * (1 + a.net_migration)
        for g in ("0-17", "18-64", "65-84", "85+"):
            pop_rows.append(
                {
                    "year": year,
                    "age_group": g,
                    "people": float(current[:, age_group(ages) == g].sum()),
                }
            )
        share = a.shift_share * t / a.years if a.years else 0.0
        older = ages >= 65
        # The base year's activity was used by everyone alive in it (so it reproduces the
        # store); later years by the projected population.
        users = in_year if t == 0 else current
        for scenario in ("baseline", "local care"):
            totals: dict[str, float] = {}
            for (setting, emerg), r in rates.items():
                growth = (1 + a.rate_change.get(setting, 0.0)) ** t
                n = users * r * growth
                if scenario == "local care" and emerg:
                    moved = float(n[:, older].sum() * share)
                    totals["community"] = (
                        totals.get("community", 0.0) + moved * a.community_contacts_per_admission
                    )
                    totals[setting] = totals.get(setting, 0.0) + float(n.sum()) - moved
                else:
                    totals[setting] = totals.get(setting, 0.0) + float(n.sum())
            for setting, n_act in sorted(totals.items()):
                demand_rows.append(
                    {
                        "year": year,
                        "scenario": scenario,
                        "setting": setting,
                        "activity": n_act,
                        "cost": n_act * unit_cost.get(setting, 0.0),
                    }
                )
    return Projection(base_year, a, pd.DataFrame(pop_rows), pd.DataFrame(demand_rows))
