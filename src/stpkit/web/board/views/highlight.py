"""A workstream's one-page highlight report for the board, as Word, PDF or a web page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from stpkit.reports import highlight as report
from stpkit.web.accounts.roles import area_required
from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
from stpkit.web.board.pack import highlight_for
from stpkit.web.board.services import parse_month
from stpkit.web.programme.models import Workstream

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@area_required("programme")
def highlight(request: HttpRequest, month: str, slug: str, fmt: str) -> HttpResponse:
    day = parse_month(month)
    if day is None or fmt not in ("docx", "pdf", "html"):
        raise Http404("No such report")
    period = get_object_or_404(ReportingPeriod, month=day)
    ws = get_object_or_404(Workstream, slug=slug)
    update = (
        WorkstreamUpdate.objects.filter(period=period, workstream=ws)
        .select_related("workstream", "period")
        .first()
    )
    if update is None:
        raise Http404(f"{ws.name} has no update for {period}")
    h = highlight_for(update)
    if fmt == "html":
        return HttpResponse(report.to_html(h), content_type="text/html; charset=utf-8")
    body, kind = (
        (report.to_pdf(h), "application/pdf") if fmt == "pdf" else (report.to_docx(h), DOCX_TYPE)
    )
    response = HttpResponse(body, content_type=kind)
    name = f"highlight-{ws.slug}-{month}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
