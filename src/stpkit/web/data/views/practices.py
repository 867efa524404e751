"""The practices page: emergency admissions per 1,000 registered, on a funnel plot."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.governed import dashboards
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, page, suffix, year_asked

COLUMNS = [
    ("practice_code", "Practice"),
    ("registered", "Registered"),
    ("admissions", "Emergency admissions"),
    ("rate_per_1000", "Per 1,000"),
    ("lower_998", "Lower 99.8% limit"),
    ("upper_998", "Upper 99.8% limit"),
    ("outlier", "Beyond limits"),
]


@area_required("data")
@governed("Emergency admissions by practice")
def practices(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = year_asked(access, request)
    table = dashboards.segments_table(access.store, year, services.cache_dir())
    frame = dashboards.practice_emergency_admissions(access.store, year, access.policy, table)
    rows = charts.records(frame)
    download = table_download(request, rows, COLUMNS, f"emergency-admissions-by-practice-{year}")
    services.log_view(request.user, f"practices{suffix(download)}", len(rows))
    if download:
        return download
    overall = frame.overall_rate_per_1000.iloc[0] if len(frame) else None
    return page(
        request,
        "practices.jinja",
        "Emergency admissions by practice",
        "data:practices",
        year=year,
        spec=charts.funnel(frame),
        rows=rows,
        columns=COLUMNS,
        overall=overall,
        high=sum(r["outlier"] == "high" for r in rows),
        low=sum(r["outlier"] == "low" for r in rows),
    )
