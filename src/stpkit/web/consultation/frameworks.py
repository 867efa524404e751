"""An analysts' theme framework per open question: import, edit, and proposals to accept.

The framework's themes are stored as `Theme` rows marked `framework`; every change goes
through the audit trail (`audited_save` / `audited_delete`) and is followed by a fresh
assignment of the question's answers (`assigning`). A file that fails to load changes
nothing and lists every bad row with its file, row and field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from stpkit.consultation.discovery import discover_framework
from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.framework import POSITIONS, FrameworkError, FrameworkTheme, load_framework
from stpkit.web.consultation.assigning import assign_framework_question
from stpkit.web.consultation.models import (
    AnswerTheme,
    Consultation,
    TextAnswer,
    Theme,
    ThemeProposal,
)
from stpkit.web.core.audit import audited_delete, audited_save

MAX_PROPOSALS = 20


@dataclass(frozen=True)
class FrameworkProblem:
    file: str
    row: int | None
    field: str
    reason: str


@dataclass
class FrameworkImport:
    """What an import did: the themes loaded, or the problems that stopped it."""

    loaded: int = 0
    problems: tuple[FrameworkProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def import_framework(
    *, consultation: Consultation, code: str, data: bytes, filename: str, user: Any
) -> FrameworkImport:
    """Replace the question's themes by the file's (those for this question or for every
    question); on any bad row nothing changes and every problem is listed."""
    try:
        framework = load_framework(data, filename)
    except FrameworkError as exc:
        return FrameworkImport(
            problems=tuple(FrameworkProblem(p.file, p.row, p.field, p.reason) for p in exc.problems)
        )
    themes = framework.for_question(code)
    if not themes:
        reason = f"no theme is for question {code} (the 'question' column names others)"
        return FrameworkImport(problems=(FrameworkProblem(filename, None, "question", reason),))
    with transaction.atomic():
        save_framework(
            consultation=consultation,
            code=code,
            themes=themes,
            user=user,
            reason=f"framework imported from {filename}",
        )
        assign_framework_question(consultation, code)
    return FrameworkImport(loaded=len(themes))


@transaction.atomic
def save_framework(
    *,
    consultation: Consultation,
    code: str,
    themes: Sequence[FrameworkTheme],
    user: Any,
    reason: str,
) -> None:
    """Make the question's stored themes exactly `themes`, audited; the one-theme path's
    corrections go (their themes are replaced), the analysts' reviews stay."""
    stored = {t.key: t for t in consultation.themes.filter(question_code=code)}
    keep = {t.key for t in themes}
    for key, record in stored.items():
        if key not in keep:
            audited_delete(record, user, reason)
    for c in consultation.corrections.filter(question_code=code):
        audited_delete(c, user, reason="the question's themes became a framework")
    for order, theme in enumerate(themes):
        record = stored.get(theme.key) or Theme(
            consultation=consultation, question_code=code, key=theme.key
        )
        _update(record, theme, order, user, reason)


def _update(record: Theme, theme: FrameworkTheme, order: int, user: Any, reason: str) -> None:
    values = {
        "label": theme.name,
        "description": theme.description,
        "examples": list(theme.examples),
        "position": theme.position,
        "order": order,
        "framework": True,
        "keywords": [],
        "prototypes": [],
    }
    if record.pk is not None and all(getattr(record, k) == v for k, v in values.items()):
        return
    for field, value in values.items():
        setattr(record, field, value)
    audited_save(record, user, reason=reason)


def _framework(consultation: Consultation, code: str) -> list[FrameworkTheme]:
    themes = consultation.themes.filter(question_code=code, framework=True)
    return [t.as_framework() for t in themes]


def _position(text: str) -> str:
    value = text.strip().lower()
    if value not in POSITIONS:
        raise ConsultationError(f"Position must be support, oppose or neutral, not {text!r}")
    return POSITIONS[value]


def _check_name(themes: Sequence[FrameworkTheme], name: str, key: str = "") -> str:
    name = name.strip()
    if not name:
        raise ConsultationError("Every theme needs a name")
    if any(t.name.lower() == name.lower() and t.key != key for t in themes):
        raise ConsultationError(f"There is already a theme called “{name}”")
    return name


def next_framework_key(themes: Sequence[FrameworkTheme]) -> str:
    used = {t.key for t in themes}
    numbers = [int(m.group(1)) for t in themes if (m := re.fullmatch(r"T(\d+)", t.key))]
    n = max(numbers, default=0) + 1
    while f"T{n}" in used:
        n += 1
    return f"T{n}"


@transaction.atomic
def add_framework_theme(
    *,
    consultation: Consultation,
    code: str,
    user: Any,
    name: str,
    description: str = "",
    position: str = "",
    examples: Sequence[str] = (),
    reason: str = "analyst added a theme",
) -> str:
    themes = _framework(consultation, code)
    name = _check_name(themes, name)
    theme = FrameworkTheme(
        next_framework_key(themes), name, description.strip(), tuple(examples), _position(position)
    )
    _update(
        Theme(consultation=consultation, question_code=code, key=theme.key),
        theme,
        len(themes),
        user,
        reason,
    )
    if len(themes) == 0:  # the question's first framework theme: old themes go
        save_framework(
            consultation=consultation, code=code, themes=[theme], user=user, reason=reason
        )
    assign_framework_question(consultation, code)
    return f"Added the theme “{name}”"


@transaction.atomic
def edit_framework_theme(
    *,
    consultation: Consultation,
    code: str,
    user: Any,
    key: str,
    name: str,
    description: str,
    position: str,
    expected_version: int | None = None,
) -> str:
    """Rename and re-describe one theme (a stale edit is refused by the audit trail)."""
    record = consultation.themes.filter(question_code=code, key=key, framework=True).first()
    if record is None:
        raise ConsultationError(f"There is no framework theme {key!r} for question {code}")
    name = _check_name(_framework(consultation, code), name, key)
    record.label, record.description = name, description.strip()
    record.position = _position(position)
    audited_save(record, user, expected_version=expected_version, reason="analyst edited a theme")
    assign_framework_question(consultation, code)
    return f"Saved the theme “{name}”"


@transaction.atomic
def delete_framework_theme(*, consultation: Consultation, code: str, user: Any, key: str) -> str:
    record = consultation.themes.filter(question_code=code, key=key, framework=True).first()
    if record is None:
        raise ConsultationError(f"There is no framework theme {key!r} for question {code}")
    label = record.label
    audited_delete(record, user, reason="analyst deleted a theme")
    if consultation.themes.filter(question_code=code).exists():
        assign_framework_question(consultation, code)
    else:
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code).update(
            theme_key="", confidence=0.0, margin=None
        )
        AnswerTheme.objects.filter(
            answer__respondent__consultation=consultation, answer__question_code=code
        ).delete()
    return f"Deleted the theme “{label}”"


@transaction.atomic
def propose_themes(*, consultation: Consultation, code: str, k: int | None = None) -> int:
    """Replace the question's proposals by themes discovered in its answers' sentences,
    leaving out any whose name the framework already has."""
    texts = list(
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
        .exclude(text="")
        .values_list("text", flat=True)
    )
    if not texts:
        raise ConsultationError(f"No answers to question {code} have been imported yet")
    have = {t.name.lower() for t in _framework(consultation, code)}
    found = [t for t in discover_framework(texts, k) if t.name.lower() not in have]
    consultation.theme_proposals.filter(question_code=code).delete()
    ThemeProposal.objects.bulk_create(
        ThemeProposal(
            consultation=consultation,
            question_code=code,
            name=t.name,
            description=t.description,
            examples=list(t.examples),
            order=n,
        )
        for n, t in enumerate(found[:MAX_PROPOSALS])
    )
    return len(found[:MAX_PROPOSALS])


@transaction.atomic
def accept_proposal(*, consultation: Consultation, code: str, user: Any, pk: int) -> str:
    proposal = consultation.theme_proposals.filter(question_code=code, pk=pk).first()
    if proposal is None:
        raise ConsultationError("That proposal is no longer there (accepted or dismissed)")
    message = add_framework_theme(
        consultation=consultation,
        code=code,
        user=user,
        name=proposal.name,
        description=proposal.description,
        examples=proposal.examples,
        reason="analyst accepted a proposed theme",
    )
    proposal.delete()
    return message


def dismiss_proposal(*, consultation: Consultation, code: str, pk: int) -> str:
    deleted, _ = consultation.theme_proposals.filter(question_code=code, pk=pk).delete()
    if not deleted:
        raise ConsultationError("That proposal is no longer there (accepted or dismissed)")
    return "Dismissed the proposal"
