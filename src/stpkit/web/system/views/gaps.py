"""The three gaps on one page: each gap's measures, trend and RAG; the finance gap's bridge."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.system import services
from stpkit.web.system.tables import MEASURE_COLUMNS, measure_row
from stpkit.web.system.views.measures import workstream_names

GAP_COLUMNS = [("gap_rag", "Gap RAG"), *MEASURE_COLUMNS]


def _bridge() -> list[dict[str, object]]:
    from stpkit.web.productivity.models import BridgeStep

    return [
        {"label": s.label, "kind": s.kind, "amount": None if s.amount is None else float(s.amount)}
        for s in BridgeStep.objects.filter(kind__in=["subtotal", "end"])
    ]


@area_required("programme")
def index(request: HttpRequest) -> HttpResponse:
    names = workstream_names()
    views = services.gaps_view()
    gaps: list[dict[str, Any]] = [
        {
            "view": v,
            "rows": [measure_row(s, names) for s in v.measures],
            "workstreams": [
                (names.get(ws, ws), {r.label: n for r, n in counts.items()})
                for ws, counts in sorted(v.by_workstream.items())
            ],
        }
        for v in views
    ]
    flat = [{**row, "gap_rag": g["view"].rag.label} for g in gaps for row in g["rows"]]
    download = table_download(request, flat, GAP_COLUMNS, "three-gaps")
    if download:
        return download
    return render(
        request,
        "system/gaps.jinja",
        {
            "title": "The three gaps",
            "gaps": gaps,
            "columns": [c for c in MEASURE_COLUMNS if c[0] != "gap"],
            "bridge": _bridge(),
        },
    )
