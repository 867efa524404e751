"""The segments page: people and year-of-care cost by one segmentation scheme."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.analyses import YEAR_OF_CARE_BANDS
from stpkit.kid.governed import SETTINGS, dashboards
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, page, suffix, year_asked


@area_required("data")
@governed("Segments and cost")
def segments(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = year_asked(access, request)
    scheme = request.GET.get("scheme", "yoc_band")
    if scheme not in dashboards.SCHEMES:
        scheme = "yoc_band"
    table = dashboards.segments_table(access.store, year, services.cache_dir())
    summary = dashboards.segment_summary(access.store, table, scheme, access.policy)
    columns = [
        ("segment", "Segment"),
        ("people", "People"),
        ("cost", "Total cost (GBP)"),
        ("cost_per_person", "Cost per person a year (GBP)"),
        ("share_of_cost", "Share of cost (%)"),
    ]
    columns += [(f"cost_{s}", f"{label} (GBP)") for s, label in SETTINGS.items()]
    rows = charts.records(summary)
    download = table_download(request, rows, columns, f"segments-{scheme}-{year}")
    services.log_view(request.user, f"segments {scheme}{suffix(download)}", len(rows))
    if download:
        return download
    return page(
        request,
        "segments.jinja",
        "Segments and cost",
        "data:segments",
        year=year,
        scheme=scheme,
        schemes=dashboards.SCHEMES,
        rows=rows,
        columns=columns[:5],
        all_columns=columns,
        yoc_bands=YEAR_OF_CARE_BANDS,
        spec=charts.bars(
            summary.dropna(subset=["cost_per_person"]),
            "segment",
            "cost_per_person",
            dashboards.SCHEMES[scheme],
            "Cost per person a year (GBP)",
            ",.0f",
        ),
    )
