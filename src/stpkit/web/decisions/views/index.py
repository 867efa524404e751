"""The decisions area's front page: every programme with its stage and funnel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.datacache import cached
from stpkit.web.core.models import Site
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Programme
from stpkit.web.decisions.views.common import AREA


def _rows() -> list[dict[str, Any]]:
    rows = []
    for p in Programme.objects.prefetch_related("stages", "options"):
        stage = services.current_stage(p)
        steps = services.funnel(p)
        rows.append(
            {
                "programme": p,
                "stage": stage.title if stage else "Complete",
                "funnel": " → ".join(f"{s.count} {s.label.lower()}" for s in steps),
            }
        )
    return rows


@area_required(AREA)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "decisions/index.jinja",
        {
            "title": "Decisions",
            "rows": cached("decisions-index", _rows),
            "sites": cached("sites", lambda: list(Site.objects.all())),
        },
    )
