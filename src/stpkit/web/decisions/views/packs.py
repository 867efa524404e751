"""The decision packs (Word) of a programme."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.decisions import packs, services
from stpkit.web.decisions.views.common import AREA, programme_or_404


@area_required(AREA)
def pack(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    prog = programme_or_404(slug)
    if kind not in packs.KINDS:
        return HttpResponse(status=404)
    data, filename = packs.build(prog, kind)
    if kind == "pcbc" and can_edit_area(request.user, AREA):
        services.mark_pcbc_generated(prog=prog, user=request.user)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
