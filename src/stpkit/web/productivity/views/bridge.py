"""The financial bridge: the stored steps as a waterfall (page, chart, download) and the
upload that replaces it (refused unless it reconciles)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.charts import productivity as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.productivity import services
from stpkit.web.productivity.forms import BridgeImportForm
from stpkit.web.productivity.views.common import can_edit, import_one_file, stored_bridge

BRIDGE_COLUMNS = [
    ("label", "Step"),
    ("kind", "Kind"),
    ("display", "GBP millions"),
    ("start", "From"),
    ("end", "To"),
    ("note", "Note"),
]


@area_required("productivity")
def bridge(request: HttpRequest) -> HttpResponse:
    fall, problem = stored_bridge()
    rows = (
        [
            {
                "label": b.label,
                "kind": b.kind.value,
                "display": b.display,
                "start": b.start,
                "end": b.end,
                "note": b.note,
            }
            for b in fall.bars
        ]
        if fall
        else []
    )
    download = table_download(request, rows, BRIDGE_COLUMNS, "financial-bridge")
    if download:
        return download
    return render(
        request,
        "productivity/bridge.jinja",
        {
            "title": "Financial bridge",
            "fall": fall,
            "problem": problem,
            "rows": rows,
            "columns": BRIDGE_COLUMNS,
            "chart": charts.spec(charts.waterfall_chart(fall)) if fall else None,
            "can_edit": can_edit(request),
        },
    )


@area_required("productivity", edit=True)
def import_bridge(request: HttpRequest) -> HttpResponse:
    form = BridgeImportForm(request.POST or None, request.FILES or None)
    issues = import_one_file(
        request,
        form,
        "bridge",
        services.import_bridge,
        "Imported a bridge of {count} steps from {name}.",
        "productivity:bridge",
    )
    if isinstance(issues, HttpResponse):
        return issues
    return render(
        request,
        "productivity/import_bridge.jinja",
        {"title": "Import the financial bridge", "form": form, "issues": issues},
    )
