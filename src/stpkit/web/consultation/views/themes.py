"""An open question's themes: the theme table, one theme's responses, and the review queue."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.consultation import services
from stpkit.web.consultation.assigning import is_framework
from stpkit.web.consultation.forms import AddThemeForm
from stpkit.web.consultation.models import AnswerTheme, Consultation, TextAnswer
from stpkit.web.consultation.views.common import (
    AREA,
    answer_rows,
    consultation_or_404,
    post_theme_action,
    question_or_404,
)
from stpkit.web.consultation.views.review import framework_review
from stpkit.web.core.audit import history_for
from stpkit.web.core.tables import table_download


def _theme_rows(consultation: Consultation, code: str) -> list[dict[str, Any]]:
    """Each theme's answers (an answer with several themes counts once in each), low
    confidence ones, stance, and a few quotes."""
    carried = AnswerTheme.objects.filter(
        answer__respondent__consultation=consultation, answer__question_code=code
    )
    counts = dict(
        carried.values_list("theme_key").annotate(n=Count("id")).values_list("theme_key", "n")
    )
    low = dict(
        carried.filter(confidence__lt=0.6)
        .values_list("theme_key")
        .annotate(n=Count("id"))
        .values_list("theme_key", "n")
    )
    stance: dict[str, Counter[str]] = defaultdict(Counter)
    for key, s, n in carried.values_list("theme_key", "answer__stance").annotate(n=Count("id")):
        stance[key][s] += n
    answers = TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
    answered = answers.exclude(text="").count() or 1
    quotes = services.theme_quotes(consultation, code) if counts else {}
    rows = []
    for theme in consultation.themes.filter(question_code=code):
        n = counts.get(theme.key, 0)
        rows.append(
            {
                "theme": theme,
                "count": n,
                "percent": 100 * n / answered,
                "low": low.get(theme.key, 0),
                "agree": stance[theme.key]["agree"],
                "disagree": stance[theme.key]["disagree"],
                "unclear": stance[theme.key]["unclear"],
                "quotes": quotes.get(theme.key, []),
            }
        )
    return rows


@area_required(AREA)
def themes(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "open")
    if request.method == "POST":
        return post_theme_action(request, consultation, code)
    rows = _theme_rows(consultation, code)
    columns = [
        ("label", "Theme"),
        ("count", "Responses"),
        ("percent", "Percent"),
        ("agree", "Agree"),
        ("disagree", "Disagree"),
        ("unclear", "Unclear"),
    ]
    download = table_download(
        request,
        [{**r, "label": r["theme"].label} for r in rows],
        columns,
        f"{consultation.slug}-{code}-themes",
    )
    if download:
        return download
    answers = TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
    several = sum(
        1 for keys in services.themes_per_response(consultation, code).values() if len(keys) > 1
    )
    return render(
        request,
        "consultation/themes.jinja",
        {
            "title": f"Themes: {q.text}",
            "consultation": consultation,
            "question": q,
            "rows": rows,
            "framework": is_framework(consultation, code),
            "several": several,
            "unthemed": answers.exclude(text="").filter(themes__isnull=True).count(),
            "corrections": consultation.corrections.filter(question_code=code).count(),
            "add_form": AddThemeForm(),
            "can_edit": can_edit_area(request.user, AREA),
        },
    )


@area_required(AREA)
def theme(request: HttpRequest, slug: str, code: str, key: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "open")
    record = get_object_or_404(consultation.themes, question_code=code, key=key)
    if request.method == "POST":
        return post_theme_action(request, consultation, code)
    answers = (
        TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=code, themes__theme_key=key
        )
        .select_related("respondent")
        .prefetch_related("themes")
        .order_by("themes__confidence", "respondent__response_id")
    )
    page = Paginator(answers, 25).get_page(request.GET.get("page"))
    labels = dict(consultation.themes.filter(question_code=code).values_list("key", "label"))
    corrected = set(
        consultation.corrections.filter(question_code=code).values_list("response_id", flat=True)
    )
    return render(
        request,
        "consultation/theme.jinja",
        {
            "title": record.label,
            "consultation": consultation,
            "question": q,
            "theme": record,
            "page": page,
            "rows": answer_rows(page.object_list, corrected, labels),
            "themes": consultation.themes.filter(question_code=code),
            "framework": record.framework,
            "history": history_for(record)[:20],
            "can_edit": can_edit_area(request.user, AREA),
        },
    )


@area_required(AREA)
def review(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "open")
    if is_framework(consultation, code):
        return framework_review(request, consultation, q)
    if request.method == "POST":
        return post_theme_action(request, consultation, code)
    corrected = set(
        consultation.corrections.filter(question_code=code).values_list("response_id", flat=True)
    )
    answers = (
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
        .exclude(text="")
        .exclude(respondent__response_id__in=corrected)
        .filter(Q(confidence__lt=0.6) | Q(theme_key=""))
        .select_related("respondent")
        .prefetch_related("themes")
        .order_by("confidence", "respondent__response_id")
    )
    page = Paginator(answers, 25).get_page(request.GET.get("page"))
    labels = dict(consultation.themes.filter(question_code=code).values_list("key", "label"))
    return render(
        request,
        "consultation/review.jinja",
        {
            "title": f"Review assignments: {q.text}",
            "consultation": consultation,
            "question": q,
            "page": page,
            "rows": answer_rows(page.object_list, corrected, labels),
            "themes": consultation.themes.filter(question_code=code),
            "can_edit": can_edit_area(request.user, AREA),
        },
    )
