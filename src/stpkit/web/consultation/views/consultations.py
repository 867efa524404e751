"""The consultations list, one consultation's summary, and importing its responses."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.consultation.statistics import publish
from stpkit.disclosure import DEFAULT_POLICY
from stpkit.web.accounts.roles import area_required, can_edit_area, can_see_area
from stpkit.web.consultation import services
from stpkit.web.consultation.forms import UploadForm
from stpkit.web.consultation.models import Consultation, TextAnswer
from stpkit.web.consultation.views.common import AREA, consultation_or_404, require_edit, shown


@area_required(AREA)
def index(request: HttpRequest) -> HttpResponse:
    consultations = Consultation.objects.annotate(responses=Count("respondents"))
    return render(
        request,
        "consultation/index.jinja",
        {"title": "Consultation", "consultations": consultations},
    )


@area_required(AREA)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    survey = consultation.get_survey()
    types = Counter(consultation.respondents.values_list("respondent_type", flat=True))
    total = sum(types.values())
    type_rows = [
        {"type": t.title(), "count": shown(publish(types[t], DEFAULT_POLICY))}
        for t in survey.respondent_types
    ]
    open_rows = []
    for q in survey.open_questions:
        answers = TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=q.code
        )
        open_rows.append(
            {
                "question": q,
                "answered": answers.exclude(text="").count(),
                "themes": consultation.themes.filter(question_code=q.code).count(),
                "campaign": answers.filter(campaign=True).count(),
            }
        )
    return render(
        request,
        "consultation/detail.jinja",
        {
            "title": consultation.title,
            "consultation": consultation,
            "programme": services.programme_of(consultation),
            "can_see_programme": can_see_area(request.user, "decisions"),
            "closed": survey.closed_questions,
            "open_rows": open_rows,
            "type_rows": type_rows,
            "total": publish(total, DEFAULT_POLICY),
            "last_import": consultation.imports.first(),
            "can_edit": can_edit_area(request.user, AREA),
        },
    )


@area_required(AREA)
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    form = UploadForm()
    run = None
    if request.method == "POST":
        require_edit(request)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            file = form.cleaned_data["file"]
            run = services.import_file(
                consultation=consultation, data=file.read(), filename=file.name, user=request.user
            )
    runs = consultation.imports.all()[:10]
    return render(
        request,
        "consultation/import.jinja",
        {
            "title": f"Import responses: {consultation.title}",
            "consultation": consultation,
            "form": form,
            "run": run,
            "runs": runs,
            "survey": consultation.get_survey(),
            "can_edit": can_edit_area(request.user, AREA),
        },
    )
