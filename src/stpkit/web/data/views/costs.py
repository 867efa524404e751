"""The year-of-care cost page: cost per registered person by setting, area or practice."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.governed import SETTINGS, dashboards
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.maps import boundaries_url
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, page, suffix, year_asked

BY_PHRASE = {
    "setting": "setting",
    "locality": "locality",
    "practice_code": "GP practice",
    "lsoa_code": "LSOA",
}


def _columns(by: str, label: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The page's columns and the download's (which adds cost by setting for an area)."""
    columns = [("group", label)]
    if by == "setting":
        columns += [("people", "People with a costed contact"), ("registered", "Registered")]
    else:
        columns += [("people", "Registered people")]
    columns += [
        ("cost", "Total cost (GBP)"),
        ("cost_per_person", "Cost per registered person a year (GBP)"),
        ("share_of_cost", "Share of cost (%)"),
    ]
    all_columns = columns + (
        [] if by == "setting" else [(f"cost_{s}", f"{t} (GBP)") for s, t in SETTINGS.items()]
    )
    return columns, all_columns


@area_required("data")
@governed("Year-of-care cost")
def costs(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    """Cost per registered person a year by setting, locality, practice or LSOA."""
    assert access.store is not None and access.policy is not None
    year = year_asked(access, request)
    by = request.GET.get("by", "setting")
    if by not in dashboards.COST_GROUPINGS:
        by = "setting"
    table = dashboards.segments_table(access.store, year, services.cache_dir())
    summary = dashboards.cost_summary(access.store, table, by, access.policy)
    label = dashboards.COST_GROUPINGS[by]
    columns, all_columns = _columns(by, label)
    rows = charts.records(summary)
    download = table_download(request, rows, all_columns, f"year-of-care-cost-by-{by}-{year}")
    services.log_view(request.user, f"costs {by}{suffix(download)}", len(rows))
    if download:
        return download
    spec: dict[str, Any] | None = None
    if by in {"setting", "locality"}:
        shown = summary.dropna(subset=["cost_per_person"]).sort_values(
            "cost_per_person", ascending=False
        )
        spec = charts.bars(
            shown, "group", "cost_per_person", label, "Cost per registered person a year (GBP)"
        )
    elif by == "lsoa_code":
        spec = charts.lsoa_map(
            summary.rename(columns={"group": "lsoa_code"})[["lsoa_code", "cost_per_person"]],
            "cost_per_person",
            "Cost per person (GBP)",
            boundaries_url(),
        )
    known = summary.dropna(subset=["cost"])
    return page(
        request,
        "costs.jinja",
        "Year-of-care cost",
        "data:costs",
        year=year,
        years=access.store.years(),
        by=by,
        groupings=dashboards.COST_GROUPINGS,
        by_phrase=BY_PHRASE[by],
        rows=rows,
        columns=columns,
        spec=spec,
        total_cost=float(known.cost.sum()) if len(known) else 0.0,
    )
