"""Hurdle criteria, the results matrix and the sift."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.models import HurdleResult
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action


@area_required(AREA)
def hurdles(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:hurdles", args=[slug])
    if request.method == "POST":
        return run_action(request, back, forms.HURDLE_ACTIONS, prog=prog)
    criteria = list(prog.hurdle_criteria.all())
    results = {
        (r.option_id, r.criterion_id): r
        for r in HurdleResult.objects.filter(option__programme=prog)
    }
    options = list(prog.options.all())
    cells = {o.pk: [results.get((o.id, h.id)) for h in criteria] for o in options}
    matrix = [
        {
            "option": o,
            "cells": cells[o.pk],
            "by_criterion": {h.pk: r for h, r in zip(criteria, cells[o.pk], strict=True)},
        }
        for o in options
    ]
    columns = [("code", "Option"), ("name", "Description"), ("reached", "Reached")]
    columns += [(f"h{h.pk}", h.name) for h in criteria]
    download = table_download(
        request,
        [
            {
                "code": o.code,
                "name": o.name,
                "reached": o.get_reached_display(),
                **{
                    f"h{h.pk}": "Not assessed"
                    if r is None
                    else "Pass"
                    if r.passed
                    else f"Fail: {r.reason}"
                    for h, r in zip(criteria, cells[o.pk], strict=True)
                },
            }
            for o in options
        ],
        columns,
        f"{slug}-hurdles",
    )
    if download:
        return download
    return page(
        request,
        "hurdles.jinja",
        prog,
        title=f"Hurdle criteria – {prog.name}",
        criteria=criteria,
        matrix=matrix,
        funnel=services.funnel(prog),
    )
