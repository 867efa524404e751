"""The planning pages' figures: demand in five years, and local care tiers.

`demand_projection` runs the projection (`stpkit.kid.analyses.projection`) on the cached
per-person table and publishes it scaled to the partnership and rounded: people to 10,
contacts to 5 and cost to GBP 1,000, so no small modelled count is shown.

`local_care` groups the practices into tiers from their list sizes and locations
(`stpkit.kid.analyses.tiers`) and describes one tier's groups, never practices or people:
each group's population is its list sizes scaled to the partnership and rounded to 10,
its cost the year's cost of its practices' patients (scaled, to the GBP 1,000). The map
colours each LSOA by the group of the practice most of its people are registered with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from stpkit.kid.analyses.projection import Assumptions, Projection, project
from stpkit.kid.analyses.tiers import TIER_BOUNDS, Tiers, local_care_tiers, practice_locations
from stpkit.kid.governed.dashboards import segments_table
from stpkit.kid.governed.memo import per_version
from stpkit.kid.pipeline.insight_store import InsightStore

TIER_TITLES: dict[str, str] = {t: title for t, title, _, _ in TIER_BOUNDS}
TIER_LIMITS: dict[str, tuple[int, int]] = {t: (lo, hi) for t, _, lo, hi in TIER_BOUNDS}
WITHIN_BOUNDS = "Within bounds"


@dataclass(frozen=True)
class LocalCare:
    """One tier's groups as page rows, the group count at every tier, and the LSOA map."""

    tier: str
    rows: list[dict[str, Any]]
    counts: dict[str, int]
    lsoa_groups: pd.DataFrame  # lsoa_code, practice_code, group

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r["problem"] != WITHIN_BOUNDS)


def practice_costs(store: InsightStore, year: int) -> pd.Series:
    """The year's cost of each practice's registered patients (0 for none), by practice."""
    frame = store.con.execute(
        "SELECT p.practice_code, coalesce(sum(a.cost), 0) AS cost FROM person p LEFT JOIN "
        "activity a ON a.person_token = p.person_token AND a.year = ? GROUP BY 1",
        [year],
    ).df()
    return frame.set_index("practice_code").cost


def lsoa_main_practice(store: InsightStore) -> pd.DataFrame:
    """Each LSOA's practice with the most of its registered people (lsoa_code, practice_code)."""
    return store.con.execute(
        "SELECT lsoa_code, arg_max(practice_code, n) AS practice_code FROM "
        "(SELECT lsoa_code, practice_code, count(*) AS n FROM person GROUP BY ALL) GROUP BY 1"
    ).df()


def local_care(store: InsightStore, year: int, tier: str, scale: float = 1.0) -> LocalCare:
    """Group the store's practices into local care tiers and describe `tier`'s groups
    (kept per store version; the tiers and practice costs are shared by every tier)."""
    if tier not in TIER_TITLES:
        raise ValueError(f"unknown tier {tier!r}; one of {', '.join(TIER_TITLES)}")
    return per_version(
        store,
        ("local_care", year, tier, round(scale, 6)),
        lambda: _local_care(store, year, tier, scale),
    )


def _local_care(store: InsightStore, year: int, tier: str, scale: float) -> LocalCare:
    result: Tiers = per_version(
        store,
        ("local_care_tiers", round(scale, 6)),
        lambda: local_care_tiers(practice_locations(store.con), scale=scale),
    )
    costs = per_version(store, ("practice_costs", year), lambda: practice_costs(store, year))
    rows = []
    for g in result.groups[tier]:
        cost = float(costs.reindex(g.practices).sum()) * scale
        rows.append(
            {
                "name": g.name,
                "practices": len(g.practices),
                "population": round(g.population, -1),
                "cost": round(cost, -3),
                "cost_per_person": round(cost / g.population) if g.population else None,
                "problem": g.problem or WITHIN_BOUNDS,
            }
        )
    assignment = result.assignment().set_index("practice_code")
    lsoa_groups = per_version(store, ("lsoa_main_practice",), lambda: lsoa_main_practice(store))
    lsoa_groups["group"] = lsoa_groups.practice_code.map(assignment[tier])
    return LocalCare(
        tier=tier,
        rows=rows,
        counts={t: len(gs) for t, gs in result.groups.items()},
        lsoa_groups=lsoa_groups,
    )


@dataclass(frozen=True)
class PublishedProjection:
    """A projection as published: scaled to the partnership and rounded."""

    projection: Projection
    population: pd.DataFrame  # year, age_group, people (to 10)
    demand: pd.DataFrame  # year, scenario, setting, activity (to 5), cost (to GBP 1,000)
    totals: pd.DataFrame  # year, scenario, cost

    def total_cost(self, year: int) -> dict[str, float]:
        """Cost by scenario in `year`."""
        rows = self.totals[self.totals.year == year]
        return dict(zip(rows.scenario, rows.cost.astype(float), strict=True))


def demand_projection(
    store: InsightStore,
    assumptions: Assumptions,
    cache_dir: Path,
    scale: float = 1.0,
    base_year: int | None = None,
) -> PublishedProjection:
    """Project from `base_year` (default the latest) and publish the result rounded."""
    year = base_year or store.years()[-1]
    return per_version(
        store,
        ("demand_projection", repr(assumptions), round(scale, 6), year),
        lambda: _demand_projection(store, assumptions, cache_dir, scale, year),
    )


def _demand_projection(
    store: InsightStore, assumptions: Assumptions, cache_dir: Path, scale: float, base_year: int
) -> PublishedProjection:
    table = segments_table(store, base_year, cache_dir)
    p = project(store, assumptions, base_year, table=table)
    population = p.population.assign(people=lambda f: (f.people * scale / 10).round() * 10)
    demand = p.demand.assign(
        activity=lambda f: (f.activity * scale / 5).round() * 5,
        cost=lambda f: (f.cost * scale / 1000).round() * 1000,
    )
    totals = demand.groupby(["year", "scenario"], as_index=False)[["cost"]].sum()
    return PublishedProjection(p, population, demand, totals)
