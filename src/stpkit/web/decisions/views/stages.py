"""A stage of a programme: its conditions, sign-off, reopening and owner."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from stpkit.decisions import stages
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import history_for
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.models import Stage
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action


@area_required(AREA)
def stage(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    prog = programme_or_404(slug)
    row = get_object_or_404(Stage, programme=prog, key=key)
    back = reverse("decisions:stage", args=[slug, key])
    if request.method == "POST":
        return run_action(
            request, back, forms.STAGE_ACTIONS, default="reopen", prog=prog, stage=row
        )
    defn = prog.process.stage(key)
    f = services.facts(prog)
    held = services.roles_of(prog, request.user)
    return page(
        request,
        "stage.jinja",
        prog,
        title=f"{row.title} – {prog.name}",
        stage=row,
        checks=stages.sign_off_checks(prog.process, key, f),
        note=defn.note,
        held=sorted(r.label for r in held),
        may_sign=defn.signoff_role in held,
        signoff_label=stages.GovernanceRole(row.signoff_role).label,
        history=history_for(row),
    )
