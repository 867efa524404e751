"""One closed question: its answers by group, with confidence intervals, chart and map."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.charts.consultation import agreement_map, question_chart
from stpkit.consultation.areas import district_centroids
from stpkit.consultation.statistics import question_table
from stpkit.consultation.survey import QuestionKind
from stpkit.disclosure import DEFAULT_POLICY
from stpkit.web.accounts.roles import area_required
from stpkit.web.consultation import services
from stpkit.web.consultation.views.common import (
    AREA,
    STAT_COLUMNS,
    consultation_or_404,
    question_or_404,
)
from stpkit.web.core.tables import table_download


@area_required(AREA)
def question(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "closed")
    survey = consultation.get_survey()
    groupings = [
        ("all", "All respondents"),
        ("respondent_type", "Respondent type"),
        ("area", "Area"),
    ]
    groupings += [(d, d.replace("_", " ").capitalize()) for d in survey.demographics]
    by = request.GET.get("by", "all")
    if by not in dict(groupings):
        by = "all"
    stats = question_table(services.responses_of(consultation), q, by, DEFAULT_POLICY)
    rows = [s.as_row() for s in stats]
    download = table_download(request, rows, STAT_COLUMNS, f"{consultation.slug}-{code}-{by}")
    if download:
        return download
    return render(
        request,
        "consultation/question.jinja",
        {
            "title": q.text,
            "consultation": consultation,
            "question": q,
            "rows": rows,
            "columns": STAT_COLUMNS,
            "by": by,
            "groupings": groupings,
            "chart": question_chart(rows, by),
            "map": agreement_map(rows, district_centroids())
            if by == "area" and q.kind is QuestionKind.LIKERT
            else None,
            "policy": DEFAULT_POLICY,
        },
    )
