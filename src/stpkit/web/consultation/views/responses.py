"""Finding answers: keyword search over one open question's answers with filters by theme,
stance, respondent type, area and demographic; and all of one respondent's answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.consultation.survey import QuestionKind
from stpkit.web.accounts.roles import area_required
from stpkit.web.consultation.models import AnswerTheme, Consultation, Respondent, TextAnswer
from stpkit.web.consultation.views.common import (
    AREA,
    answer_rows,
    consultation_or_404,
    question_or_404,
)
from stpkit.web.core.tables import table_download

PER_PAGE = 25
STANCE_LABELS = {"agree": "Agrees", "disagree": "Disagrees", "unclear": "Unclear"}
DOWNLOAD_COLUMNS = [
    ("response_id", "Response"),
    ("respondent_type", "Respondent type"),
    ("area", "Area"),
    ("text", "Answer"),
    ("themes", "Themes"),
    ("confidence", "Confidence"),
    ("evidence", "Evidence sentences"),
    ("stance", "Stance"),
]


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def filter_answers(
    consultation: Consultation, code: str, params: Any
) -> tuple[QuerySet[TextAnswer], dict[str, str]]:
    """The answers matching the request's filters, and the filters that were applied."""
    answers = TextAnswer.objects.filter(
        respondent__consultation=consultation, question_code=code
    ).exclude(text="")
    applied: dict[str, str] = {}
    words = params.get("q", "").strip()
    if words:
        for word in words.split():  # every word must appear
            answers = answers.filter(text__icontains=word)
        applied["q"] = words
    simple = {
        "theme": "themes__theme_key",
        "stance": "stance",
        "type": "respondent__respondent_type",
        "area": "respondent__area",
    }
    for param, field in simple.items():
        value = params.get(param, "")
        if value:
            answers = answers.filter(**{field: value})
            applied[param] = value
    for name in consultation.get_survey().demographics:
        value = params.get(f"d_{name}", "")
        if value:
            answers = answers.filter(**{f"respondent__demographics__{name}": value})
            applied[f"d_{name}"] = value
    return answers.distinct(), applied


@area_required(AREA)
def responses(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "open")
    survey = consultation.get_survey()
    answers, applied = filter_answers(consultation, code, request.GET)
    answers = answers.select_related("respondent").prefetch_related("themes")
    answers = answers.order_by("respondent__response_id")
    themes = list(consultation.themes.filter(question_code=code))
    labels = {t.key: t.label for t in themes}
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = [
            {
                "response_id": a.respondent.response_id,
                "respondent_type": a.respondent.respondent_type.capitalize(),
                "area": a.respondent.area,
                "text": a.text,
                "themes": "; ".join(labels.get(h.theme_key, h.theme_key) for h in a.themes.all()),
                "confidence": "; ".join(f"{100 * h.confidence:.0f}%" for h in a.themes.all()),
                "evidence": " | ".join(h.sentence for h in a.themes.all() if h.sentence),
                "stance": STANCE_LABELS.get(a.stance, "Unclear"),
            }
            for a in answers
        ]
        download = table_download(
            request, rows, DOWNLOAD_COLUMNS, f"{consultation.slug}-{code}-answers"
        )
        if download:
            return download
    page = Paginator(answers, PER_PAGE).get_page(request.GET.get("page"))
    per_theme = dict(
        AnswerTheme.objects.filter(answer__in=answers.values("pk"))
        .values_list("theme_key")
        .annotate(n=Count("id"))
        .values_list("theme_key", "n")
    )
    respondents = consultation.respondents
    filters: list[dict[str, Any]] = [
        {"name": "theme", "label": "Theme", "options": [(t.key, t.label) for t in themes]},
        {"name": "stance", "label": "Stance", "options": list(STANCE_LABELS.items())},
        {
            "name": "type",
            "label": "Respondent type",
            "options": [(t, t.capitalize()) for t in survey.respondent_types],
        },
        {
            "name": "area",
            "label": "Area",
            "options": [
                (a, a)
                for a in respondents.exclude(area="")
                .order_by("area")
                .values_list("area", flat=True)
                .distinct()
            ],
        },
    ]
    for name, values in survey.demographics.items():
        filters.append(
            {
                "name": f"d_{name}",
                "label": _label(name),
                "options": [(v, v) for v in dict.fromkeys([*values, "Not stated"])],
            }
        )
    return render(
        request,
        "consultation/responses.jinja",
        {
            "title": f"Search answers: {q.text}",
            "consultation": consultation,
            "question": q,
            "page": page,
            "rows": answer_rows(page.object_list, set(), labels),
            "filters": filters,
            "applied": applied,
            "words": applied.get("q", ""),
            "query": urlencode(applied) + "&" if applied else "",
            "per_theme": [(t.label, per_theme.get(t.key, 0)) for t in themes],
        },
    )


@area_required(AREA)
def respondent(request: HttpRequest, slug: str, response_id: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    record = Respondent.objects.filter(consultation=consultation, response_id=response_id).first()
    if record is None:
        raise Http404(f"No response {response_id} in this consultation")
    survey = consultation.get_survey()
    labels = {
        (t.question_code, t.key): t.label for t in consultation.themes.all().only("key", "label")
    }
    open_answers = {
        a.question_code: a
        for a in record.text_answers.all().prefetch_related("themes")  # type: ignore[attr-defined]
    }
    questions = []
    for question in survey.questions:
        if question.kind is QuestionKind.OPEN:
            answer = open_answers.get(question.code)
            questions.append(
                {
                    "question": question,
                    "open": True,
                    "text": answer.text if answer else "",
                    "stance": STANCE_LABELS.get(answer.stance, "Unclear") if answer else "",
                    "hits": [
                        {
                            "key": h.theme_key,
                            "label": labels.get((question.code, h.theme_key), h.theme_key),
                            "confidence": h.confidence,
                            "sentence": h.sentence,
                        }
                        for h in answer.themes.all()
                    ]
                    if answer
                    else [],
                }
            )
        else:
            value = (record.answers or {}).get(question.code)
            shown = "; ".join(value) if isinstance(value, list) else (value or "")
            questions.append({"question": question, "open": False, "text": shown})
    about = [("Respondent type", record.respondent_type.capitalize()), ("Area", record.area)]
    about += [(_label(k), v or "Not stated") for k, v in (record.demographics or {}).items()]
    return render(
        request,
        "consultation/respondent.jinja",
        {
            "title": f"Response {record.response_id}",
            "consultation": consultation,
            "respondent": record,
            "about": about,
            "questions": questions,
        },
    )
