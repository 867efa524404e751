"""A programme's audit trail, removals included."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.labels import code_label, history_value, human_datetime
from stpkit.web.core.paging import paginate
from stpkit.web.core.tables import table_download
from stpkit.web.decisions.history import programme_history
from stpkit.web.decisions.views.common import AREA, page, programme_or_404


def _in_words(row: dict[str, Any]) -> dict[str, Any]:
    """A trail row as people read it (the download keeps the stored values)."""
    return {
        **row,
        "at": human_datetime(row.get("at")),
        "field": code_label(row["field"]) if row.get("field") else "",
        "before": history_value(row.get("before")),
        "after": history_value(row.get("after")),
    }


@area_required(AREA)
def history(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    rows = programme_history(prog, request.user)
    columns = [
        ("at", "When"),
        ("who", "Who"),
        ("item", "Item"),
        ("action", "Action"),
        ("field", "Field"),
        ("before", "Before"),
        ("after", "After"),
        ("reason", "Reason"),
    ]
    download = table_download(request, rows, columns, f"{slug}-audit")
    if download:
        return download
    return page(
        request,
        "history.jinja",
        prog,
        title=f"Audit trail – {prog.name}",
        columns=columns,
        paged=paginate(request, [_in_words(r) for r in rows]),
    )
