"""The measures: the catalogue with SPC icons, one measure's chart, adding and editing."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stpkit.charts.system import spc_chart
from stpkit.system import Gap
from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.core.audit import history_for
from stpkit.web.core.editing import edit_page
from stpkit.web.core.tables import table_download
from stpkit.web.programme.models import Workstream
from stpkit.web.system import services
from stpkit.web.system.forms import MeasureForm
from stpkit.web.system.models import Measure
from stpkit.web.system.tables import MEASURE_COLUMNS, VALUE_COLUMNS, measure_row, value_rows


def workstream_names() -> dict[str, str]:
    return dict(Workstream.objects.values_list("slug", "name"))


@area_required("programme")
def index(request: HttpRequest) -> HttpResponse:
    gap = request.GET.get("gap", "")
    measures = Measure.objects.select_related("workstream")
    if gap:
        if gap not in {g.value for g in Gap}:
            raise Http404("No such gap")
        measures = measures.filter(gap=gap)
    names = workstream_names()
    rows = [measure_row(s, names) for s in services.summaries(list(measures))]
    download = table_download(request, rows, MEASURE_COLUMNS, "measures")
    if download:
        return download
    return render(
        request,
        "system/index.jinja",
        {
            "title": "Measures",
            "rows": rows,
            "columns": MEASURE_COLUMNS,
            "gaps": list(Gap),
            "gap": gap,
            "can_edit": can_edit_area(request.user, "programme"),
        },
    )


@area_required("programme")
def detail(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("workstream"), code=code)
    (summary,) = services.summaries([measure])
    rows = value_rows(summary)
    download = table_download(request, rows, VALUE_COLUMNS, f"measure-{measure.code}")
    if download:
        return download
    chart = None
    if summary.spc is not None:
        measured = [v for v in summary.values if v.actual is not None]
        chart = spc_chart(
            [v.period for v in measured],
            summary.spc,
            polarity=summary.definition.polarity,
            target=measure.target,
            plan=[(v.period, v.planned) for v in summary.values if v.planned is not None],
            unit=measure.unit,
        )
    return render(
        request,
        "system/measure.jinja",
        {
            "title": measure.name,
            "measure": measure,
            "summary": summary,
            "row": measure_row(summary, workstream_names()),
            "chart": chart,
            "rows": rows,
            "columns": VALUE_COLUMNS,
            "can_edit": can_edit_area(request.user, "programme"),
            "history": history_for(measure)[:20],
        },
    )


@area_required("programme", edit=True)
def new(request: HttpRequest) -> HttpResponse:
    return edit_page(
        request,
        MeasureForm(request.POST or None),
        template="system/form.jinja",
        title="Add a measure",
        back=("system:index",),
        done=lambda measure: reverse("system:measure", kwargs={"code": measure.code}),
        saved_message=lambda measure: f"{measure.name} added.",
    )


@area_required("programme", edit=True)
def edit(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(Measure, code=code)
    return edit_page(
        request,
        MeasureForm(request.POST or None, instance=measure),
        template="system/form.jinja",
        title=f"Edit {measure.name}",
        back=("system:measure", measure.code),
        done=lambda saved: reverse("system:measure", kwargs={"code": saved.code}),
        saved_message=lambda saved: f"{saved.name} saved.",
    )
