"""The timeline to consultation: scenarios, tasks, forecasts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.charts import decisions as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action

TIMELINE_COLUMNS = [
    ("scenario", "Scenario"),
    ("task", "Task"),
    ("lane", "Lane"),
    ("planned_start", "Planned start"),
    ("planned_finish", "Planned finish"),
    ("forecast_start", "Forecast start"),
    ("forecast_finish", "Forecast finish"),
    ("slip_days", "Slip (days)"),
    ("float_days", "Float (days)"),
    ("critical", "Critical path"),
]


@area_required(AREA)
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:timeline", args=[slug])
    if request.method == "POST":
        return run_action(request, back, forms.TIMELINE_ACTIONS, default="slip", prog=prog)
    scheduled = services.schedules(prog)
    download = table_download(
        request,
        [{"scenario": sc.name, **r} for sc, _, fc in scheduled for r in fc.rows()],
        TIMELINE_COLUMNS,
        f"{slug}-timeline",
    )
    if download:
        return download
    scenarios = []
    for sc, base, fc in scheduled:
        scenarios.append(
            {
                "scenario": sc,
                "baseline": base,
                "forecast": fc,
                "rows": fc.rows(),
                "chart": charts.spec(charts.timeline_chart(base, fc)),
            }
        )
    return page(
        request,
        "timeline.jinja",
        prog,
        title=f"Timeline to consultation – {prog.name}",
        scenarios=scenarios,
        tasks=prog.tasks.all(),
        all_scenarios=prog.scenarios.all(),
    )
