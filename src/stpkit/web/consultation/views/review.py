"""Reviewing a framework question: the most uncertain answers first; the analyst confirms or
corrects their themes and stance; re-running learns from the reviews and the page shows
the agreement gained on the held-back reviewed answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.survey import Question
from stpkit.web.accounts.roles import can_edit_area
from stpkit.web.consultation.assigning import (
    HOLD_BACK_EVERY,
    assign_framework_question,
    review_response,
    review_summary,
)
from stpkit.web.consultation.models import Consultation, TextAnswer
from stpkit.web.consultation.views.common import AREA, require_edit
from stpkit.web.core.audit import StaleEditError

PER_PAGE = 5  # most uncertain first; a confirmed answer makes way for the next
STANCES = [("agree", "Agrees"), ("disagree", "Disagrees"), ("unclear", "Unclear")]


def hit_rows(answer: TextAnswer, labels: dict[str, str]) -> list[dict[str, Any]]:
    """An answer's themes, best first, with confidence and the sentence that carries each."""
    return [
        {
            "key": h.theme_key,
            "label": labels.get(h.theme_key, h.theme_key),
            "confidence": h.confidence,
            "sentence": h.sentence,
        }
        for h in answer.themes.all()
    ]


def _post(request: HttpRequest, consultation: Consultation, code: str) -> HttpResponse:
    require_edit(request)
    action = request.POST.get("action", "")
    try:
        if action == "review":
            rid = request.POST.get("response_id", "")
            label = review_response(
                consultation=consultation,
                code=code,
                response_id=rid,
                theme_keys=request.POST.getlist("themes"),
                stance=request.POST.get("stance", ""),
                user=request.user,
            )
            kept = " (held back to measure agreement)" if label.held_back else ""
            messages.success(request, f"Review of {rid} saved{kept}")
        elif action == "relearn":
            run = assign_framework_question(consultation, code)
            messages.success(
                request, f"Every answer re-assigned, learning from {run.learned_from} reviews"
            )
        else:
            raise ConsultationError(f"Unknown action {action!r}")
    except (ConsultationError, StaleEditError) as exc:
        messages.error(request, str(exc))
    return redirect(request.get_full_path())


def framework_review(
    request: HttpRequest, consultation: Consultation, question: Question
) -> HttpResponse:
    code = question.code
    if request.method == "POST":
        return _post(request, consultation, code)
    reviewed = set(
        consultation.review_labels.filter(question_code=code).values_list("response_id", flat=True)
    )
    answers = (
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
        .exclude(text="")
        .exclude(respondent__response_id__in=reviewed)
        .select_related("respondent")
        .prefetch_related("themes")
        .order_by(F("margin").asc(nulls_last=True), "respondent__response_id")
    )
    page = Paginator(answers, PER_PAGE).get_page(request.GET.get("page"))
    themes = list(consultation.themes.filter(question_code=code, framework=True))
    labels = {t.key: t.label for t in themes}
    rows = [
        {
            "response_id": a.respondent.response_id,
            "respondent_type": a.respondent.respondent_type,
            "text": a.text,
            "stance": a.stance,
            "campaign": a.campaign,
            "hits": hit_rows(a, labels),
            "chosen": {h.theme_key for h in a.themes.all()},
        }
        for a in page.object_list
    ]
    return render(
        request,
        "consultation/review_framework.jinja",
        {
            "title": f"Review themes and stance: {question.text}",
            "consultation": consultation,
            "question": question,
            "page": page,
            "rows": rows,
            "themes": themes,
            "stances": STANCES,
            "stance_labels": dict(STANCES),
            "summary": review_summary(consultation, code),
            "hold_back_every": HOLD_BACK_EVERY,
            "can_edit": can_edit_area(request.user, AREA),
        },
    )
