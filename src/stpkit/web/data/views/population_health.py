"""Population health pages: inequalities, risk stratification, demand and capacity, capitation.

Thin views over `stpkit.kid.governed` (every figure disclosure controlled there, cached
per store version): each page is logged, offers its main table as CSV or Excel
(`stpkit.exports` through `table_download`) and shows long tables a page at a time.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid import KidError
from stpkit.kid.analyses import BRIDGES_SEGMENTS, RISK_TIERS, DemandAssumptions, Range
from stpkit.kid.analyses import INEQUALITY_MEASURES as GAP_MEASURES
from stpkit.kid.governed import (
    CAPITATION_TIERS,
    DEMAND_MEASURES,
    POPULATIONS,
    RISK_GROUPINGS,
    demand_monte_carlo,
    published_risk,
)
from stpkit.kid.governed import capitation as published_capitation
from stpkit.kid.governed import inequalities as published_inequalities
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, number_asked, page, scale, suffix, year_asked

PAGE_SIZE = 25


def paginate(request: HttpRequest, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of `rows` (`?page=N`, PAGE_SIZE a page) and the links' numbers."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    try:
        number = min(pages, max(1, int(request.GET.get("page", 1))))
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "rows": rows[start : start + PAGE_SIZE],
        "number": number,
        "pages": pages,
        "total": len(rows),
        "query": query.urlencode(),
    }


GAP_COLUMNS = [
    ("label", "Measure"),
    ("most", "Most deprived fifth"),
    ("least", "Least deprived fifth"),
    ("gap", "Gap"),
    ("sii", "Slope index of inequality"),
    ("rii", "Relative index"),
]


@area_required("data")
@governed("Inequalities")
def inequalities(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = year_asked(access, request)
    who = request.GET.get("population", "all")
    who = who if who in POPULATIONS else "all"
    result = published_inequalities(access.store, year, services.cache_dir(), access.policy, who)
    columns = [("quintile", "IMD quintile"), ("people", "People")] + [
        (k, label) for k, (label, _, _, _) in GAP_MEASURES.items()
    ]
    download = table_download(request, result.rows, columns, f"inequalities-{who}-{year}")
    services.log_view(request.user, f"inequalities{suffix(download)}", len(result.rows))
    if download:
        return download
    chart_rows = [
        {"quintile": r["quintile"], "value": r["emergency_admissions"]}
        for r in result.rows
        if r["emergency_admissions"] is not None
    ]
    return page(
        request,
        "inequalities.jinja",
        "Inequalities",
        "data:inequalities",
        year=year,
        population=who,
        populations={k: label for k, (label, _) in POPULATIONS.items()},
        rows=result.rows,
        columns=columns,
        numeric=[k for k, _ in columns[1:]],
        gaps=result.gaps,
        gap_columns=GAP_COLUMNS,
        segments=result.segments,
        segment_columns=[("quintile", "IMD quintile")] + [(s, s) for s in BRIDGES_SEGMENTS],
        chart=charts.bars(
            pd.DataFrame(chart_rows),
            "quintile",
            "value",
            "IMD quintile",
            "Emergency admissions per 1,000",
        )
        if chart_rows
        else None,
    )


@area_required("data")
@governed("Risk of emergency admission")
def risk(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    by = request.GET.get("by", "locality")
    by = by if by in RISK_GROUPINGS else "locality"
    try:
        pub = published_risk(access.store, access.policy, by, services.cache_dir())
    except KidError as exc:
        return page(
            request, "unavailable.jinja", "Risk of emergency admission", "", problem=str(exc)
        )
    columns = [
        ("group", RISK_GROUPINGS[by]),
        ("people", "People"),
        *[(t, label) for t, label, _ in RISK_TIERS],
        ("expected_admissions", "Expected emergency admissions, next 12 months"),
    ]
    download = table_download(request, pub.tiers, columns, f"risk-tiers-{by}")
    services.log_view(request.user, f"risk {by}{suffix(download)}", len(pub.tiers))
    if download:
        return download
    return page(
        request,
        "risk.jinja",
        "Risk of emergency admission",
        "data:risk",
        pub=pub,
        by=by,
        groupings=RISK_GROUPINGS,
        tiers=paginate(request, pub.tiers),
        columns=columns,
        numeric=[k for k, _ in columns[1:]],
    )


def _assumptions(request: HttpRequest) -> DemandAssumptions:
    """The defaults, with the ranges a user may change from the page's form."""
    d = DemandAssumptions()

    def rng(name: str, default: Range, lo: float, hi: float, pct: bool) -> Range:
        f = 100.0 if pct else 1.0
        low = number_asked(request, f"{name}_low", default.low * f, lo, hi) / f
        high = number_asked(request, f"{name}_high", default.high * f, lo, hi) / f
        return Range(min(low, high), max(low, high))

    return DemandAssumptions(
        occupancy=number_asked(request, "occupancy", d.occupancy * 100, 50, 100) / 100,
        growth=rng("growth", d.growth, -5, 10, True),
        net_migration=rng("migration", d.net_migration, -2, 2, True),
        avoided_share=rng("avoided", d.avoided_share, 0, 60, True),
        community_per_avoided=rng("contacts", d.community_per_avoided, 0, 20, False),
    )


@area_required("data")
@governed("Demand and capacity")
def demand(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    a = _assumptions(request)
    factor = scale(access)
    pub = demand_monte_carlo(access.store, a, services.cache_dir(), factor)
    view = request.GET.get("view", "setting")
    view = view if view in {"setting", "locality", "condition"} else "setting"
    frame = {"setting": pub.by_setting, "locality": pub.by_locality, "condition": pub.by_condition}[
        view
    ]
    if view == "setting":
        frame = frame[frame.year == pub.last_year()]
    key = {"setting": "scenario", "locality": "locality", "condition": "condition"}[view]
    rows = charts.records(frame.drop(columns=["measure"]))
    columns = [
        *([("scenario", "Scenario")] if key != "scenario" else []),
        (key, key.title()),
        ("label", "Measure"),
        ("p10", "Low (10th percentile)"),
        ("p50", "Median"),
        ("p90", "High (90th percentile)"),
    ]
    download = table_download(request, rows, columns, f"demand-{view}")
    services.log_view(request.user, f"demand {view}{suffix(download)}", len(rows))
    if download:
        return download
    beds = pub.by_setting[pub.by_setting.measure == "beds"]
    return page(
        request,
        "demand.jinja",
        "Demand and capacity",
        "data:demand",
        a=a,
        scale=factor,
        view=view,
        base_year=pub.result.base_year,
        last_year=pub.last_year(),
        beds=charts.records(beds),
        beds_spec=charts.lines(beds, "year", "p50", "scenario", "Year", "Beds (median)"),
        table=paginate(request, rows),
        columns=columns,
        assumptions=[{"assumption": k, "value": v} for k, v in a.describe()],
        measures=DEMAND_MEASURES,
    )


@area_required("data")
@governed("Capitation")
def capitation(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = year_asked(access, request)
    tier = request.GET.get("footprint", "accountable_care")
    tier = tier if tier in CAPITATION_TIERS else "accountable_care"
    factor = scale(access)
    pub = published_capitation(
        access.store, year, services.cache_dir(), access.policy, tier, factor
    )
    columns = [
        ("group", CAPITATION_TIERS[tier]),
        ("practices", "Practices"),
        ("people", "People in the store"),
        ("need_index", "Need index (1 = average)"),
        ("actual", "Actual spend (GBP)"),
        ("budget", "Needs-weighted budget (GBP)"),
        ("difference", "Budget minus actual (GBP)"),
        ("difference_pct", "Difference (%)"),
    ]
    download = table_download(request, pub.rows, columns, f"capitation-{tier}-{year}")
    services.log_view(request.user, f"capitation {tier}{suffix(download)}", len(pub.rows))
    if download:
        return download
    return page(
        request,
        "capitation.jinja",
        "Capitation",
        "data:capitation",
        year=year,
        tier=tier,
        tiers=CAPITATION_TIERS,
        scale=factor,
        table=paginate(request, pub.rows),
        columns=columns,
        numeric=[k for k, _ in columns[1:]],
        weights=pub.weights,
    )
