"""The decisions area's front page: every programme with its stage and funnel."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.models import Site
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Programme
from stpkit.web.decisions.views.common import AREA


@area_required(AREA)
def index(request: HttpRequest) -> HttpResponse:
    rows = []
    for p in Programme.objects.all():
        stage = services.current_stage(p)
        steps = services.funnel(p)
        rows.append(
            {
                "programme": p,
                "stage": stage.title if stage else "Complete",
                "funnel": " → ".join(f"{s.count} {s.label.lower()}" for s in steps),
            }
        )
    return render(
        request,
        "decisions/index.jinja",
        {"title": "Decisions", "rows": rows, "sites": Site.objects.all()},
    )
