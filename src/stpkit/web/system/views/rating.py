"""The partnership rated as NHS England's July 2017 STP progress dashboard rated it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.system.rating import THRESHOLDS
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.system import services
from stpkit.web.system.tables import (
    HISTORY_COLUMNS,
    INDICATOR_COLUMNS,
    history_rows,
    indicator_rows,
)


@area_required("programme")
def index(request: HttpRequest) -> HttpResponse:
    history = services.rating_history()
    latest = history[-1] if history else None
    rows = indicator_rows(latest[1]) if latest else []
    if request.GET.get("table") == "history":
        download = table_download(request, history_rows(history), HISTORY_COLUMNS, "rating-history")
    else:
        download = table_download(request, rows, INDICATOR_COLUMNS, "rating-indicators")
    if download:
        return download
    return render(
        request,
        "system/rating.jinja",
        {
            "title": "The partnership rated",
            "latest": latest,
            "rows": rows,
            "columns": INDICATOR_COLUMNS,
            "history": history_rows(history),
            "history_columns": HISTORY_COLUMNS,
            "thresholds": THRESHOLDS,
        },
    )
