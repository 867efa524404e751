"""Campaign and duplicate responses to an open question."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.web.accounts.roles import area_required
from stpkit.web.consultation.models import TextAnswer
from stpkit.web.consultation.views.common import AREA, consultation_or_404, question_or_404
from stpkit.web.core.tables import table_download


@area_required(AREA)
def duplicates(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "open")
    answers = TextAnswer.objects.filter(
        respondent__consultation=consultation, question_code=code, duplicate_group__isnull=False
    )
    groups: dict[int, dict[str, Any]] = {}
    for group, text, campaign in answers.order_by("respondent__response_id").values_list(
        "duplicate_group", "text", "campaign"
    ):
        if group is None:
            continue
        g = groups.setdefault(
            group,
            {"group": group, "count": 0, "campaign": "Yes" if campaign else "No", "example": text},
        )
        g["count"] += 1
    rows = sorted(groups.values(), key=lambda g: -g["count"])
    columns = [
        ("group", "Group"),
        ("count", "Responses"),
        ("campaign", "Campaign"),
        ("example", "Example text"),
    ]
    download = table_download(request, rows, columns, f"{consultation.slug}-{code}-duplicates")
    if download:
        return download
    return render(
        request,
        "consultation/duplicates.jinja",
        {
            "title": f"Campaigns and duplicates: {q.text}",
            "consultation": consultation,
            "question": q,
            "rows": rows[:200],
            "columns": columns,
            "total": len(rows),
        },
    )
