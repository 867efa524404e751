"""The workforce projection's default demand growth, from the integrated dataset's activity
projection (issue 22: "demand from the activity projection").

It lives here because it joins two sibling areas: the data app holds the store and its
governance, the enablers app the workforce plan; `HomeConfig.ready` registers it with the
enablers app, so neither imports the other. Growth is a ratio, so the scale of the store
does not matter; it is read from the published (rounded) projection like every page.
"""

from __future__ import annotations

from stpkit import enablers as eng
from stpkit.kid.analyses.demand import DemandAssumptions
from stpkit.kid.governed.population_health import demand_monte_carlo
from stpkit.web.data import services as data

# Capacity rows of the projection are not activity.
_NOT_ACTIVITY = {"beds", "bed_days"}


def activity_growth() -> tuple[float, float, float] | None:
    """Yearly growth (low, central, high) of all activity in the baseline scenario, or None
    without a store or an approved purpose."""
    access = data.dashboard_access()
    if not access.ok or access.store is None:
        return None
    assumptions = DemandAssumptions()
    pub = demand_monte_carlo(access.store, assumptions, data.cache_dir())
    frame = pub.by_setting
    frame = frame[(frame.scenario == "baseline") & ~frame.measure.isin(_NOT_ACTIVITY)]
    years = sorted(frame.year.unique())
    if len(years) < 2:
        return None
    first, last = frame[frame.year == years[0]], frame[frame.year == years[-1]]
    base = float(first.p50.sum())
    if base <= 0:
        return None
    end = (float(last.p10.sum()), float(last.p50.sum()), float(last.p90.sum()))
    return eng.annual_growth_range(base, end, int(years[-1] - years[0]))


def register() -> None:
    from stpkit.web.enablers.links import register_activity_growth

    register_activity_growth(activity_growth)
