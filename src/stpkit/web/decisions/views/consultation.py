"""The consultation period, assurance and the joint committee's decision."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.web.accounts.roles import area_required, can_see_area
from stpkit.web.core import clock
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.models import Decision
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action


@area_required(AREA)
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:consultation", args=[slug])
    if request.method == "POST":
        return run_action(request, back, forms.CONSULTATION_ACTIONS, prog=prog)
    decision = Decision.objects.filter(programme=prog).first()
    return page(
        request,
        "consultation.jinja",
        prog,
        title=f"Consultation and decision – {prog.name}",
        decision=decision,
        consultations=services.linked_consultations(prog),
        can_see_consultation=can_see_area(request.user, "consultation"),
        options=services.candidate_options(prog) or list(prog.options.all()),
        today=clock.today(),
    )
