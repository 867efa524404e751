"""Demand with uncertainty and needs-weighted capitation, published.

`demand_monte_carlo` runs `stpkit.kid.analyses.demand` on the base year's per-person
table and publishes percentiles scaled to the partnership (a sample store stands for the
whole registered population) and rounded: contacts to 5, bed days to 10, beds to 1. It
publishes model outputs for places and conditions, never a count of people.

`capitation` weights everyone's need from the store's own costs
(`stpkit.kid.analyses.capitation`) and sums it per accountable care footprint or community
hub (the local care tiers, `stpkit.kid.analyses.tiers`): people (in the store) pass the
disclosure policy, the need index is the footprint's mean weight (1 = the partnership's
average person), money is scaled to the partnership and rounded to GBP 1,000, and a
footprint whose people count is suppressed shows nothing. Both are cached per store
version (and assumptions or tier).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd

from stpkit.disclosure import DisclosurePolicy
from stpkit.kid.analyses.capitation import budgets, need_weights
from stpkit.kid.analyses.demand import (
    CAPACITY,
    DEMAND_SETTINGS,
    DemandAssumptions,
    DemandResult,
    demand_inputs,
    simulate,
)
from stpkit.kid.analyses.tiers import local_care_tiers, practice_locations
from stpkit.kid.governed.dashboards import published, segments_table
from stpkit.kid.pipeline.insight_store import InsightStore

MEASURES: dict[str, str] = {**DEMAND_SETTINGS, **CAPACITY}
CAPITATION_TIERS: dict[str, str] = {
    "accountable_care": "Accountable care footprint",
    "community_hub": "Community hub",
}
_cache: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def _cached(key: tuple[Any, ...], make: Any) -> Any:
    with _lock:
        if key in _cache:
            return _cache[key]
    value = make()
    with _lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = value
    return value


def _round(frame: pd.DataFrame, scale: float) -> pd.DataFrame:
    out = frame.copy()
    step = out.measure.map({"beds": 1.0, "bed_days": 10.0}).fillna(5.0)
    for c in ("p10", "p50", "p90"):
        out[c] = ((out[c] * scale / step).round() * step).astype(int)
    out["label"] = out.measure.map(MEASURES)
    return out


@dataclass(frozen=True)
class PublishedDemand:
    result: DemandResult
    by_setting: pd.DataFrame  # year, scenario, measure, label, p10, p50, p90
    by_locality: pd.DataFrame  # scenario, locality, measure, label, p10, p50, p90
    by_condition: pd.DataFrame  # scenario, condition, measure, label, p10, p50, p90

    def last_year(self) -> int:
        return int(self.by_setting.year.max())


def demand_monte_carlo(
    store: InsightStore,
    assumptions: DemandAssumptions,
    cache_dir: Path,
    scale: float = 1.0,
    base_year: int | None = None,
) -> PublishedDemand:
    """The Monte Carlo from `base_year` (default the latest), published rounded."""
    year = base_year or store.years()[-1]

    def make() -> PublishedDemand:
        inputs = _cached(
            ("demand-inputs", store.version, year),
            lambda: demand_inputs(store, segments_table(store, year, cache_dir), year),
        )
        result = simulate(inputs, assumptions)
        return PublishedDemand(
            result,
            _round(result.by_setting, scale),
            _round(result.by_locality, scale),
            _round(result.by_condition, scale),
        )

    return _cached(("demand", store.version, year, assumptions, round(scale, 6)), make)  # type: ignore[no-any-return]


def person_needs(store: InsightStore, year: int, cache_dir: Path) -> pd.DataFrame:
    """Each person's need weight, practice and actual cost in `year` (inside the zone)."""

    def make() -> pd.DataFrame:
        table = segments_table(store, year, cache_dir)
        people = store.con.execute(
            "SELECT t.age, t.sex, t.ltc_count, t.total, t.practice_code, "
            "CAST(d.imd_quintile AS INTEGER) AS imd_quintile FROM read_parquet(?) t "
            "LEFT JOIN lsoa_imd d ON d.lsoa_code = t.lsoa_code",
            [str(table)],
        ).df()
        return need_weights(people)

    return _cached(("needs", store.version, year), make)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class PublishedCapitation:
    tier: str
    rows: list[dict[str, Any]]  # group, practices, people, need_index, actual, budget, difference
    weights: list[dict[str, Any]]  # age band, sex, conditions: mean need weight by quintile


def capitation(
    store: InsightStore,
    year: int,
    cache_dir: Path,
    policy: DisclosurePolicy,
    tier: str = "accountable_care",
    scale: float = 1.0,
) -> PublishedCapitation:
    """Needs-weighted budgets beside actual spend for each group of `tier`."""
    if tier not in CAPITATION_TIERS:
        raise ValueError(f"unknown footprint {tier!r}; one of {', '.join(CAPITATION_TIERS)}")

    def make() -> PublishedCapitation:
        needs = person_needs(store, year, cache_dir)
        tiers = local_care_tiers(practice_locations(store.con), scale=scale)
        assignment = tiers.assignment().set_index("practice_code")[tier]
        frame = needs.assign(group=needs.practice_code.map(assignment).fillna("Unassigned"))
        raw = budgets(frame, "group")
        practices = frame.groupby("group").practice_code.nunique()
        people = published(raw.people, policy)
        rows = []
        for (_, r), n in zip(raw.iterrows(), people, strict=True):
            hidden = n is None or not n
            rows.append(
                {
                    "group": r.group,
                    "practices": int(practices[r.group]),
                    "people": n,
                    "need_index": None if hidden else round(r.weighted / r.people, 2),
                    "actual": None if hidden else round(r.actual * scale, -3),
                    "budget": None if hidden else round(r.budget * scale, -3),
                    "difference": None if hidden else round(r.difference * scale, -3),
                    "difference_pct": None
                    if hidden or not r.actual
                    else round(100 * r.difference / r.actual, 1),
                }
            )
        cells = needs.groupby(["age_band", "sex", "quintile"], observed=True).agg(
            weight=("weight", "mean"), people=("weight", "size")
        )
        cells = cells.reset_index()
        cells["people"] = published(cells.people, policy)
        wide = cells[cells.people.notna()].pivot_table(
            index=["age_band", "sex"], columns="quintile", values="weight", aggfunc="first"
        )
        weights = []
        for key, row in wide.iterrows():
            band, sex = cast(tuple[str, str], key)
            weights.append(
                {
                    "age_band": band,
                    "sex": sex,
                    **{f"q{q}": round(float(v), 2) for q, v in row.items() if pd.notna(v)},
                }
            )
        return PublishedCapitation(tier, rows, weights)

    return _cached(("capitation", store.version, year, tier, policy.name, round(scale, 6)), make)  # type: ignore[no-any-return]
