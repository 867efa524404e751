"""The Word summary of the productivity programme for the board (a download)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.productivity import kent_medway as km
from stpkit.productivity import opportunities, provider_totals
from stpkit.reports.productivity import GroupLine, board_summary_docx
from stpkit.web.accounts.roles import area_required
from stpkit.web.core import clock
from stpkit.web.productivity import services
from stpkit.web.productivity.views.common import KM_PROVIDERS, basis_from, stored_bridge

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@area_required("productivity")
def board_summary(request: HttpRequest) -> HttpResponse:
    basis = basis_from(request)
    data = services.benchmark_set()
    totals = []
    if data is not None:
        providers = [p for p in KM_PROVIDERS if p in data.peer_group_of] or None
        totals = provider_totals(
            opportunities(
                data, services.catalogue(), basis, providers=providers, skip_untargeted=True
            )
        )
    fall, _ = stored_bridge()
    lines = [GroupLine(g.name, g.lead, g.status, s) for g, s in services.group_summaries()]
    content = board_summary_docx(
        partnership="Kent and Medway",
        plan_year=services.PLAN_YEAR,
        programme_target=float(km.PROGRAMME_OPPORTUNITY),
        groups=lines,
        providers=totals,
        basis=basis,
        bridge=fall,
        as_at=services.latest_actual_month() or clock.today(),
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="productivity-board-summary.docx"'
    return response
