"""Consultation pages: import, closed-question tables, themes, review, duplicates, report."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import altair as alt
import pandas as pd
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.consultation.areas import district_centroids
from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.report_docx import report_docx
from stpkit.consultation.report_html import report_html
from stpkit.consultation.statistics import AGREE_NET, publish, question_table
from stpkit.consultation.survey import Question, QuestionKind
from stpkit.consultation.themes import representative_quotes
from stpkit.disclosure import DEFAULT_POLICY
from stpkit.web.accounts.roles import area_required, can_edit_area, can_see_area
from stpkit.web.consultation import services
from stpkit.web.consultation.forms import AddThemeForm, UploadForm
from stpkit.web.consultation.models import Consultation, TextAnswer
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.tables import table_download

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


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation, slug=slug)


def _question(consultation: Consultation, code: str, kind: str) -> Question:
    try:
        question = consultation.get_survey().question(code)
    except KeyError as exc:
        raise Http404(str(exc)) from exc
    if (kind == "open") != (question.kind is QuestionKind.OPEN):
        raise Http404(f"{code} is not an {kind} question")
    return question


def _shown(count: int | None) -> int | str:
    """A published count, or '*' where disclosure control suppresses it."""
    return "*" if count is None else count


def _require_edit(request: HttpRequest) -> None:
    if not can_edit_area(request.user, AREA):
        raise PermissionDenied("Your role can read this consultation but not change it.")


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
    consultation = _consultation(slug)
    survey = consultation.get_survey()
    types = Counter(consultation.respondents.values_list("respondent_type", flat=True))
    total = sum(types.values())
    type_rows = [
        {"type": t.title(), "count": _shown(publish(types[t], DEFAULT_POLICY))}
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
    consultation = _consultation(slug)
    form = UploadForm()
    run = None
    if request.method == "POST":
        _require_edit(request)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            file = form.cleaned_data["file"]
            run = services.import_file(consultation, file.read(), file.name, request.user)
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


def _stat_chart(rows: list[dict[str, Any]], by: str) -> dict[str, Any] | None:
    frame = pd.DataFrame([r for r in rows if r["percent"] is not None])
    if frame.empty:
        return None
    base = alt.Chart(frame).encode(
        y=alt.Y("option:N", title=None, sort=None),
        yOffset=alt.YOffset("group:N") if by != "all" else alt.YOffset(),
        color=alt.Color("group:N", title="Group"),
    )
    bars = base.mark_bar().encode(x=alt.X("percent:Q", title="Percent of those answering"))
    rules = base.mark_rule(color="black").encode(x="ci_low:Q", x2="ci_high:Q")
    return (bars + rules).properties(width=560).to_dict()


def _area_map(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    agree = [r for r in rows if r["option"] == AGREE_NET and r["percent"] is not None]
    if not agree:
        return None
    centroids = district_centroids()
    frame = pd.DataFrame(agree).merge(centroids, left_on="group", right_on="district")
    if frame.empty:
        return None
    chart = (
        alt.Chart(frame)
        .mark_circle(opacity=0.8, stroke="black")
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("base:Q", title="Answered"),
            color=alt.Color("percent:Q", title="% agree", scale=alt.Scale(scheme="blues")),
            tooltip=["group", "percent", "base"],
        )
        .project("mercator")
        .properties(width=560, height=360)
    )
    text = chart.mark_text(dy=-14, fontSize=10).encode(text="group:N")
    return (chart + text).to_dict()


@area_required(AREA)
def question(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = _consultation(slug)
    q = _question(consultation, code, "closed")
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
            "chart": _stat_chart(rows, by),
            "map": _area_map(rows) if by == "area" and q.kind is QuestionKind.LIKERT else None,
            "policy": DEFAULT_POLICY,
        },
    )


def _theme_rows(consultation: Consultation, code: str) -> list[dict[str, Any]]:
    answers = TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
    counts = dict(
        answers.values_list("theme_key").annotate(n=Count("id")).values_list("theme_key", "n")
    )
    low = dict(
        answers.filter(confidence__lt=0.6)
        .values_list("theme_key")
        .annotate(n=Count("id"))
        .values_list("theme_key", "n")
    )
    stance: dict[str, Counter[str]] = defaultdict(Counter)
    for key, s, n in answers.values_list("theme_key", "stance").annotate(n=Count("id")):
        stance[key][s] += n
    answered = answers.exclude(text="").count() or 1
    corpus = services.corpus_for(consultation, code) if counts else None
    members: dict[str, list[str]] = defaultdict(list)
    for key, rid in answers.values_list("theme_key", "respondent__response_id"):
        members[key].append(rid)
    rows = []
    for theme in consultation.themes.filter(question_code=code):
        n = counts.get(theme.key, 0)
        quotes = representative_quotes(corpus, corpus.rows(members[theme.key]), 3) if corpus else []
        rows.append(
            {
                "theme": theme,
                "count": n,
                "percent": 100 * n / answered,
                "low": low.get(theme.key, 0),
                "agree": stance[theme.key]["agree"],
                "disagree": stance[theme.key]["disagree"],
                "unclear": stance[theme.key]["unclear"],
                "quotes": quotes,
            }
        )
    return rows


def _theme_action(request: HttpRequest, consultation: Consultation, code: str) -> str:
    action = request.POST.get("action", "")
    if action == "discover":
        k = request.POST.get("k") or None
        analysis = services.run_themes(
            consultation, code, request.user, discover=True, k=int(k) if k else None
        )
        return f"Found {len(analysis.themes)} themes"
    if action == "reassign":
        services.run_themes(consultation, code, request.user)
        return "Every response was re-assigned; corrections were kept"
    if action == "add":
        form = AddThemeForm(request.POST)
        if not form.is_valid():
            raise ConsultationError(
                "; ".join(str(e) for errs in form.errors.values() for e in errs)
            )
        data = {
            "label": form.cleaned_data["label"],
            "keywords": [k for k in form.cleaned_data["keywords"].split(",") if k.strip()],
            "examples": [e.strip() for e in form.cleaned_data["examples"].split(",") if e.strip()],
        }
        return services.edit_themes(consultation, code, request.user, "add", data)
    if action == "merge":
        data = {"keys": request.POST.getlist("keys"), "label": request.POST.get("label", "")}
        return services.edit_themes(consultation, code, request.user, "merge", data)
    if action in ("rename", "split", "delete"):
        data = {
            "key": request.POST.get("key", ""),
            "label": request.POST.get("label", ""),
            "parts": request.POST.get("parts", "2"),
        }
        return services.edit_themes(consultation, code, request.user, action, data)
    if action == "correct":
        services.correct(
            consultation,
            code,
            request.POST.get("response_id", ""),
            request.POST.get("theme_key", ""),
            request.user,
            request.POST.get("reason", ""),
        )
        return f"Response {request.POST.get('response_id')} corrected; the correction is kept"
    raise ConsultationError(f"Unknown action {action!r}")


def _post(request: HttpRequest, consultation: Consultation, code: str) -> HttpResponse:
    _require_edit(request)
    try:
        messages.success(request, _theme_action(request, consultation, code))
    except (ConsultationError, StaleEditError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect(request.get_full_path())


@area_required(AREA)
def themes(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = _consultation(slug)
    q = _question(consultation, code, "open")
    if request.method == "POST":
        return _post(request, consultation, code)
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
    return render(
        request,
        "consultation/themes.jinja",
        {
            "title": f"Themes: {q.text}",
            "consultation": consultation,
            "question": q,
            "rows": rows,
            "unthemed": answers.exclude(text="").filter(theme_key="").count(),
            "corrections": consultation.corrections.filter(question_code=code).count(),
            "add_form": AddThemeForm(),
            "can_edit": can_edit_area(request.user, AREA),
        },
    )


def _answer_rows(answers: Any, corrected: set[str]) -> list[dict[str, Any]]:
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
        }
        for a in answers
    ]


@area_required(AREA)
def theme(request: HttpRequest, slug: str, code: str, key: str) -> HttpResponse:
    consultation = _consultation(slug)
    q = _question(consultation, code, "open")
    record = get_object_or_404(consultation.themes, question_code=code, key=key)
    if request.method == "POST":
        return _post(request, consultation, code)
    answers = (
        TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=code, theme_key=key
        )
        .select_related("respondent")
        .order_by("confidence", "respondent__response_id")
    )
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
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
            "rows": _answer_rows(page.object_list, corrected),
            "themes": consultation.themes.filter(question_code=code),
            "history": history_for(record)[:20],
            "can_edit": can_edit_area(request.user, AREA),
        },
    )


@area_required(AREA)
def review(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = _consultation(slug)
    q = _question(consultation, code, "open")
    if request.method == "POST":
        return _post(request, consultation, code)
    corrected = set(
        consultation.corrections.filter(question_code=code).values_list("response_id", flat=True)
    )
    answers = (
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
        .exclude(text="")
        .exclude(respondent__response_id__in=corrected)
        .filter(Q(confidence__lt=0.6) | Q(theme_key=""))
        .select_related("respondent")
        .order_by("confidence", "respondent__response_id")
    )
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "consultation/review.jinja",
        {
            "title": f"Review assignments: {q.text}",
            "consultation": consultation,
            "question": q,
            "page": page,
            "rows": _answer_rows(page.object_list, corrected),
            "themes": consultation.themes.filter(question_code=code),
            "can_edit": can_edit_area(request.user, AREA),
        },
    )


@area_required(AREA)
def duplicates(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = _consultation(slug)
    q = _question(consultation, code, "open")
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


@area_required(AREA)
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    return render(
        request,
        "consultation/report.jinja",
        {
            "title": f"Report: {consultation.title}",
            "consultation": consultation,
            "programme": services.programme_of(consultation),
        },
    )


@area_required(AREA)
def report_docx_download(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    content = report_docx(services.consultation_report(consultation))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-report.docx"'
    return response


@area_required(AREA)
def report_html_download(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    return HttpResponse(report_html(services.consultation_report(consultation)))
