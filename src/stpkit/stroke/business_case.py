"""The evidence a pre-consultation business case needs for each configuration, beside its
travel and outcome figures: beds and staff per unit (`capacity`), capital, revenue and net
present cost (`costs`), and the equality and access impact (`equality`).

`BusinessCaseModel` holds the assumptions and the region's IMD and age figures once, so
the whole long list is costed in a fraction of a second; `case(result)` gives one
option's figures, and `metrics()` the ones a criterion or hurdle may name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from stpkit.stroke.capacity import (
    CapacityAssumptions,
    UnitCapacity,
    capacity_metrics,
    option_capacity,
)
from stpkit.stroke.costs import (
    COST_TABLE,
    CostAssumptions,
    OptionCost,
    SiteCost,
    annual_revenue,
    net_present_cost,
    option_cost,
    read_cost_table,
)
from stpkit.stroke.equality import EqualityBase, EqualityImpact, equality_impact
from stpkit.stroke.model import ConfigResult, StrokeModel

BUSINESS_CASE_METRICS: dict[str, str] = {
    "hasu_beds": "HASU beds (Erlang loss: at most 5% of patients find no bed)",
    "asu_beds": "acute stroke unit beds after the HASU stay",
    "max_probability_no_bed": "largest chance at any HASU that a patient finds no bed",
    "consultants_wte": "stroke consultants, WTE (seven-day rota per unit)",
    "nurses_wte": "stroke nurses, WTE (HASU and ASU beds)",
    "therapists_wte": "stroke therapists, WTE (HASU beds)",
    "capital_gbp": "capital: HASU works and beds, GBP",
    "capital_headroom_gbp": "capital available less the option's capital, GBP",
    "revenue_gbp_a_year": "recurring revenue: staff and beds, GBP a year",
    "revenue_change_gbp_a_year": "recurring revenue against today's, GBP a year",
    "net_present_cost_gbp": "net present cost over the appraisal period (Green Book 3.5%)",
    "most_deprived_change_minutes": "mean change in minutes, most deprived IMD quintile",
    "most_deprived_within_45": "share within 45 minutes, most deprived IMD quintile",
    "aged_60_plus_change_minutes": "mean change in minutes for residents aged 60+",
    "visitor_hours_change": "change in visitors' road hours a year",
}


@dataclass(frozen=True)
class BusinessCase:
    option: str
    units: list[UnitCapacity]
    cost: OptionCost
    today_revenue: float
    equality_figures: dict[str, float]
    result: ConfigResult
    base: EqualityBase
    visits_per_admission: float

    def metrics(self) -> dict[str, float]:
        return {
            **capacity_metrics(self.units),
            "capital_gbp": self.cost.capital,
            "capital_headroom_gbp": self.cost.headroom,
            "revenue_gbp_a_year": self.cost.revenue_a_year,
            "revenue_change_gbp_a_year": self.cost.revenue_a_year - self.today_revenue,
            "net_present_cost_gbp": self.cost.net_present_cost,
            **self.equality_figures,
        }

    def equality(self) -> EqualityImpact:
        """The equality tables (by IMD quintile, by age band, the LSOAs that lose most)."""
        c = self.result.columns
        return equality_impact(
            self.base,
            self.result.geo,
            c["minutes"],
            c["today_minutes"],
            self.visits_per_admission,
        )


class BusinessCaseModel:
    """Assumptions and the region's equality figures, shared by every option."""

    def __init__(
        self,
        model: StrokeModel,
        capacity: CapacityAssumptions | None = None,
        costs: CostAssumptions | None = None,
        cost_table: Mapping[str, SiteCost] | Path | str = COST_TABLE,
        visits_per_admission: float | None = None,
    ) -> None:
        self.model = model
        self.capacity = capacity or CapacityAssumptions()
        self.costs = costs or CostAssumptions()
        self.table = cost_table if isinstance(cost_table, Mapping) else read_cost_table(cost_table)
        self.codes = {u.name: u.short_code for u in model.geo.candidates}
        # a visit a day of the stay, HASU and ASU, unless told otherwise
        self.visits = (
            visits_per_admission
            if visits_per_admission is not None
            else self.capacity.hasu_stay_days + self.capacity.asu_stay_days
        )

    @cached_property
    def base(self) -> EqualityBase:
        return EqualityBase.for_geography(self.model.geo)

    @cached_property
    def today_revenue(self) -> float:
        units = option_capacity(self.model.today.volumes, self.capacity)
        return annual_revenue(units, self.costs)

    def _equality_figures(self, result: ConfigResult) -> dict[str, float]:
        """The equality metrics, without building the tables."""
        b, geo = self.base, self.model.geo
        c = result.columns
        t, t0 = c["minutes"][b.rows], c["today_minutes"][b.rows]
        w = geo.admissions[b.rows]
        change = t - t0
        q1 = b.quintile == 1
        wq = w[q1]
        older = b.population[:, 2]
        return {
            "most_deprived_change_minutes": float(change[q1] @ wq / wq.sum()) if wq.sum() else 0.0,
            "most_deprived_within_45": float((t[q1] <= 45) @ wq / wq.sum()) if wq.sum() else 0.0,
            "aged_60_plus_change_minutes": float(change @ older / older.sum())
            if older.sum()
            else 0.0,
            "visitor_hours_change": float(np.sum(w * self.visits * 2.0 * change) / 60.0),
        }

    def case(self, result: ConfigResult) -> BusinessCase:
        units = option_capacity(result.volumes, self.capacity)
        if result.is_today:  # today's units stay as they are: no HASU works
            revenue = annual_revenue(units, self.costs)
            cost = OptionCost(
                0.0,
                revenue,
                net_present_cost(0.0, revenue, self.costs.years, self.costs.discount_rate),
                self.costs.capital_available,
            )
        else:
            by_name = {u.unit: u for u in units}
            cost = option_cost(by_name, self.codes, self.table, self.costs, units)
        return BusinessCase(
            result.config.name,
            units,
            cost,
            self.today_revenue,
            self._equality_figures(result),
            result,
            self.base,
            self.visits,
        )


__all__ = ["BUSINESS_CASE_METRICS", "BusinessCase", "BusinessCaseModel"]
