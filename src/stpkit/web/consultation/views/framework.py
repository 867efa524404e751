"""A question's theme framework: import it from a file, edit its themes, accept proposals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.consultation.errors import ConsultationError
from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.consultation import frameworks
from stpkit.web.consultation.assigning import is_framework
from stpkit.web.consultation.forms import FrameworkUploadForm
from stpkit.web.consultation.models import AnswerTheme, Consultation
from stpkit.web.consultation.views.common import (
    AREA,
    consultation_or_404,
    question_or_404,
    require_edit,
)
from stpkit.web.core.audit import StaleEditError
from stpkit.web.core.tables import table_download

POSITION_LABELS = {"support": "Supports the proposal", "oppose": "Opposes the proposal", "": ""}
FRAMEWORK_COLUMNS = [
    ("key", "key"),
    ("name", "name"),
    ("description", "description"),
    ("examples", "examples"),
    ("position", "position"),
]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError as exc:
        raise ConsultationError(f"{value!r} is not a whole number") from exc


def _run_action(request: HttpRequest, consultation: Consultation, code: str) -> str:
    post = request.POST
    action = post.get("action", "")
    common: dict[str, Any] = {"consultation": consultation, "code": code}
    if action == "add":
        return frameworks.add_framework_theme(
            **common,
            user=request.user,
            name=post.get("name", ""),
            description=post.get("description", ""),
            position=post.get("position", ""),
        )
    if action == "edit":
        return frameworks.edit_framework_theme(
            **common,
            user=request.user,
            key=post.get("key", ""),
            name=post.get("name", ""),
            description=post.get("description", ""),
            position=post.get("position", ""),
            expected_version=_int(post.get("version")),
        )
    if action == "delete":
        return frameworks.delete_framework_theme(
            **common, user=request.user, key=post.get("key", "")
        )
    if action == "propose":
        found = frameworks.propose_themes(**common, k=_int(post.get("k")))
        return f"Discovery proposed {found} themes; accept the ones you want below"
    if action == "accept":
        return frameworks.accept_proposal(
            **common, user=request.user, pk=_int(post.get("proposal")) or 0
        )
    if action == "dismiss":
        return frameworks.dismiss_proposal(**common, pk=_int(post.get("proposal")) or 0)
    raise ConsultationError(f"Unknown action {action!r}")


@area_required(AREA)
def framework(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    q = question_or_404(consultation, code, "open")
    upload_form = FrameworkUploadForm()
    result = None
    if request.method == "POST":
        require_edit(request)
        if request.POST.get("action") == "import":
            upload_form = FrameworkUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                file = upload_form.cleaned_data["file"]
                result = frameworks.import_framework(
                    consultation=consultation,
                    code=code,
                    data=file.read(),
                    filename=file.name,
                    user=request.user,
                )
                if result.ok:
                    messages.success(
                        request,
                        f"Imported {result.loaded} themes from {file.name}; answers assigned",
                    )
                    return redirect(request.get_full_path())
        else:
            try:
                messages.success(request, _run_action(request, consultation, code))
            except (ConsultationError, StaleEditError) as exc:
                messages.error(request, str(exc))
            return redirect(request.get_full_path())
    themes = list(consultation.themes.filter(question_code=code, framework=True))
    download = table_download(
        request,
        [
            {
                "key": t.key,
                "name": t.label,
                "description": t.description,
                "examples": " | ".join(t.examples),
                "position": t.position,
            }
            for t in themes
        ],
        FRAMEWORK_COLUMNS,
        f"{consultation.slug}-{code}-framework",
    )
    if download:
        return download
    counts = dict(
        AnswerTheme.objects.filter(
            answer__respondent__consultation=consultation, answer__question_code=code
        )
        .values_list("theme_key")
        .annotate(n=Count("id"))
        .values_list("theme_key", "n")
    )
    return render(
        request,
        "consultation/framework.jinja",
        {
            "title": f"Theme framework: {q.text}",
            "consultation": consultation,
            "question": q,
            "themes": [
                {
                    "theme": t,
                    "count": counts.get(t.key, 0),
                    "position": POSITION_LABELS.get(t.position, t.position),
                }
                for t in themes
            ],
            "is_framework": is_framework(consultation, code),
            "discovered": consultation.themes.filter(question_code=code, framework=False).count(),
            "proposals": consultation.theme_proposals.filter(question_code=code),
            "upload_form": upload_form,
            "result": result,
            "can_edit": can_edit_area(request.user, AREA),
        },
    )
