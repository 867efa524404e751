"""The trends page: activity and cost by setting, month by month."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.governed import dashboards
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, page, suffix

COLUMNS = [
    ("month_start", "Month"),
    ("setting_name", "Setting"),
    ("activity", "Activity"),
    ("cost", "Cost (GBP)"),
]


@area_required("data")
@governed("Activity and cost trends")
def trends(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    frame = dashboards.trends(access.store, access.policy)
    rows = charts.records(frame)
    download = table_download(request, rows, COLUMNS, "activity-cost-by-setting")
    services.log_view(request.user, f"trends{suffix(download)}", len(rows))
    if download:
        return download
    return page(
        request,
        "trends.jinja",
        "Activity and cost trends",
        "data:trends",
        activity_spec=charts.lines(
            frame, "month_start", "activity", "setting_name", "Month", "Activity"
        ),
        cost_spec=charts.lines(frame, "month_start", "cost", "setting_name", "Month", "Cost (GBP)"),
        rows=rows,
        columns=COLUMNS,
    )
