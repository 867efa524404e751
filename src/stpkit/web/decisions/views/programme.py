"""A programme's page: its stages, funnel, evidence and governance roles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.charts import decisions as charts
from stpkit.decisions import stages
from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.models import GOVERNANCE_CHOICES, Evidence
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action


@area_required(AREA)
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:programme", args=[slug])
    if request.method == "POST":
        return run_action(request, back, forms.PROGRAMME_ACTIONS, default="evidence", prog=prog)
    f = services.facts(prog)
    proc = prog.process
    rows = services.stage_rows(prog)
    states = stages.states([s.signed_off for s in rows])
    stage_rows = [
        {"row": s, "state": st.value, "checks": stages.check_conditions(proc.stages[i], f)}
        for i, (s, st) in enumerate(zip(rows, states, strict=True))
    ]
    steps = services.funnel(prog)
    return page(
        request,
        "programme.jinja",
        prog,
        stage_rows=stage_rows,
        funnel=steps,
        funnel_spec=charts.spec(charts.funnel_chart(steps)),
        evidence=prog.evidence.all(),
        evidence_kinds=Evidence.KINDS,
        role_holders=prog.role_holders.select_related("user").order_by("role"),
        governance_roles=GOVERNANCE_CHOICES,
        people=services.panel_candidates() if can_edit_area(request.user, AREA) else [],
    )
