"""Evaluation criteria and their swing weights."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import history_for
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import forms
from stpkit.web.decisions.models import EvaluationCriterion
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action


@area_required(AREA)
def criteria(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:criteria", args=[slug])
    crits = list(prog.evaluation_criteria.all())
    if request.method == "POST":
        return run_action(request, back, forms.CRITERIA_ACTIONS, prog=prog, criteria=crits)
    download = table_download(
        request,
        [
            {"group": c.get_group_display(), "key": c.key, "name": c.name, "weight": c.weight}
            for c in crits
        ],
        [("group", "Group"), ("key", "Key"), ("name", "Criterion"), ("weight", "Weight (%)")],
        f"{slug}-criteria",
    )
    if download:
        return download
    groups: dict[str, list[EvaluationCriterion]] = {}
    for c in crits:
        groups.setdefault(c.get_group_display(), []).append(c)
    return page(
        request,
        "criteria.jinja",
        prog,
        title=f"Evaluation criteria – {prog.name}",
        groups=groups,
        criteria=crits,
        total=sum(c.weight for c in crits),
        group_choices=EvaluationCriterion.GROUPS,
        history=[r for c in crits for r in history_for(c)][:30],
    )
