"""What the consultation pages share: lookups by slug and question code, published
counts, the edit check, response rows, and running a posted theme action through its form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.survey import Question, QuestionKind
from stpkit.web.accounts.roles import can_edit_area
from stpkit.web.consultation.forms import THEME_ACTIONS
from stpkit.web.consultation.models import Consultation
from stpkit.web.core.audit import StaleEditError

AREA = "consultation"
STAT_COLUMNS = [
    ("group", "Group"),
    ("option", "Answer"),
    ("count", "Count"),
    ("base", "Answered"),
    ("percent", "Percent"),
    ("ci_low", "95% CI from"),
    ("ci_high", "95% CI to"),
]


def consultation_or_404(slug: str) -> Consultation:
    return get_object_or_404(Consultation, slug=slug)


def question_or_404(consultation: Consultation, code: str, kind: str) -> Question:
    try:
        question = consultation.get_survey().question(code)
    except KeyError as exc:
        raise Http404(str(exc)) from exc
    if (kind == "open") != (question.kind is QuestionKind.OPEN):
        raise Http404(f"{code} is not an {kind} question")
    return question


def shown(count: int | None) -> int | str:
    """A published count, or '*' where disclosure control suppresses it."""
    return "*" if count is None else count


def require_edit(request: HttpRequest) -> None:
    if not can_edit_area(request.user, AREA):
        raise PermissionDenied("Your role can read this consultation but not change it.")


def answer_rows(
    answers: Any, corrected: set[str], labels: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Rows of answers for the tables; with `labels` (theme key -> name) each row also lists
    its themes with confidence and evidence sentence (answers prefetched with `themes`)."""
    return [
        {
            "response_id": a.respondent.response_id,
            "respondent_type": a.respondent.respondent_type,
            "text": a.text,
            "theme_key": a.theme_key,
            "confidence": a.confidence,
            "stance": a.stance,
            "campaign": a.campaign,
            "corrected": a.respondent.response_id in corrected,
            "hits": [
                {
                    "key": h.theme_key,
                    "label": labels.get(h.theme_key, h.theme_key),
                    "confidence": h.confidence,
                    "sentence": h.sentence,
                }
                for h in a.themes.all()
            ]
            if labels is not None
            else [],
        }
        for a in answers
    ]


def post_theme_action(request: HttpRequest, consultation: Consultation, code: str) -> HttpResponse:
    """Validate the posted theme action with its form and run it; back to the same page
    with what was done, or the form's or the rule's message."""
    require_edit(request)
    try:
        form_class = THEME_ACTIONS.get(request.POST.get("action", ""))
        if form_class is None:
            raise ConsultationError(f"Unknown action {request.POST.get('action', '')!r}")
        form = form_class(request.POST, consultation=consultation, code=code, user=request.user)
        if not form.is_valid():
            raise ConsultationError(form.problems())
        messages.success(request, form.run())
    except (ConsultationError, StaleEditError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect(request.get_full_path())
