"""What the consultation pages do to the database, on top of the engine.

Imports upsert by response ID inside one transaction (a refused file changes nothing);
theming loads the stored themes and corrections, runs the engine and writes every
assignment back; theme edits and corrections go through the audit trail.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from stpkit.consultation.analysis import QuestionAnalysis, analyse
from stpkit.consultation.duplicates import DuplicateGroup, find_duplicates
from stpkit.consultation.errors import ConsultationError, ResponseFileError
from stpkit.consultation.importing import import_responses
from stpkit.consultation.report import Report, build_report
from stpkit.consultation.survey import Response
from stpkit.consultation.themes import (
    Corpus,
    add_theme,
    build_corpus,
    delete_theme,
    merge_themes,
    rename_theme,
    representative_quotes,
    split_theme,
)
from stpkit.consultation.themes import Theme as EngineTheme
from stpkit.web.consultation.assigning import (
    assign_framework_question,
    is_framework,
    update_answers,
    write_one_theme_rows,
)
from stpkit.web.consultation.models import (
    AnswerTheme,
    Consultation,
    Correction,
    ImportRun,
    QuestionQuotes,
    Respondent,
    TextAnswer,
    Theme,
)
from stpkit.web.core.audit import audited_delete, audited_save, record_change
from stpkit.web.decisions.models import Programme

_CORPORA: dict[tuple[int, str, int], Corpus] = {}


# --- import --------------------------------------------------------------------------


def import_file(*, consultation: Consultation, data: bytes, filename: str, user: Any) -> ImportRun:
    """Load the good rows, report the bad ones; an unreadable file changes nothing."""
    survey = consultation.get_survey()
    try:
        result = import_responses(data, survey, filename)
    except ResponseFileError as exc:
        return ImportRun.objects.create(
            consultation=consultation, filename=filename, by=_user(user), failure=str(exc)
        )
    with transaction.atomic():
        store_responses(consultation=consultation, responses=result.responses)
        return ImportRun.objects.create(
            consultation=consultation,
            filename=filename,
            by=_user(user),
            rows_read=result.rows_read,
            rows_loaded=len(result.responses),
            errors=[
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
                for e in result.errors
            ],
        )


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def store_responses(
    *,
    consultation: Consultation,
    responses: Sequence[Response],
    known: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Insert new responses and update existing ones (matched by response ID)."""
    existing = {r.response_id: r for r in consultation.respondents.all()}
    create: list[Respondent] = []
    update: list[Respondent] = []
    for r in responses:
        record = existing.get(r.response_id) or Respondent(
            consultation=consultation, response_id=r.response_id
        )
        record.respondent_type = r.respondent_type
        record.demographics = r.demographics
        record.postcode_district = r.postcode_district
        record.lsoa_code = r.lsoa_code
        record.area = r.area
        record.answers = r.answers
        if known and r.response_id in known:
            record.known = known[r.response_id]
        (update if record.pk else create).append(record)
    Respondent.objects.bulk_create(create, batch_size=1000)
    fields = [
        "respondent_type",
        "demographics",
        "postcode_district",
        "lsoa_code",
        "area",
        "answers",
        "known",
    ]
    Respondent.objects.bulk_update(update, fields, batch_size=1000)
    by_id = {r.response_id: r for r in consultation.respondents.all()}
    answers = {
        (a.respondent_id, a.question_code): a
        for a in TextAnswer.objects.filter(respondent__consultation=consultation)
    }
    new_answers: list[TextAnswer] = []
    changed: list[TextAnswer] = []
    for r in responses:
        respondent = by_id[r.response_id]
        for code, text in r.texts.items():
            answer = answers.get((respondent.pk, code))
            if answer is None:
                new_answers.append(TextAnswer(respondent=respondent, question_code=code, text=text))
            elif answer.text != text:
                answer.text, answer.theme_key, answer.confidence = text, "", 0.0
                changed.append(answer)
    TextAnswer.objects.bulk_create(new_answers, batch_size=1000)
    TextAnswer.objects.bulk_update(changed, ["text", "theme_key", "confidence"], batch_size=1000)
    Consultation.objects.filter(pk=consultation.pk).update(
        data_version=consultation.data_version + 1
    )
    consultation.data_version += 1


def responses_of(consultation: Consultation) -> list[Response]:
    """The stored responses as the engine's objects (texts included)."""
    texts: dict[int, dict[str, str]] = {}
    for a in TextAnswer.objects.filter(respondent__consultation=consultation).values(
        "respondent_id", "question_code", "text"
    ):
        texts.setdefault(a["respondent_id"], {})[a["question_code"]] = a["text"]
    return [
        Response(
            response_id=r.response_id,
            respondent_type=r.respondent_type,
            demographics=r.demographics,
            postcode_district=r.postcode_district,
            lsoa_code=r.lsoa_code,
            area=r.area,
            answers=r.answers,
            texts=texts.get(r.pk, {}),
        )
        for r in consultation.respondents.all()
    ]


# --- themes --------------------------------------------------------------------------


def corpus_for(consultation: Consultation, code: str) -> Corpus:
    """The fitted vectors of a question's texts, reused while the texts are unchanged."""
    rows = list(
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
        .order_by("respondent__response_id")
        .values_list("respondent__response_id", "text")
    )
    if not rows:
        raise ConsultationError(f"No answers to question {code} have been imported yet")
    key = (consultation.pk, code, hash(tuple(rows)))
    if key not in _CORPORA:
        for stale in [k for k in _CORPORA if k[:2] == key[:2]]:
            del _CORPORA[stale]
        _CORPORA[key] = build_corpus([r[0] for r in rows], [r[1] for r in rows])
    return _CORPORA[key]


def stored_themes(consultation: Consultation, code: str) -> list[EngineTheme]:
    return [
        EngineTheme.from_dict(t.as_engine()) for t in consultation.themes.filter(question_code=code)
    ]


def corrections_of(consultation: Consultation, code: str) -> dict[str, str]:
    return dict(
        consultation.corrections.filter(question_code=code).values_list("response_id", "theme_key")
    )


@dataclass(frozen=True)
class Discovery:
    """Themes discovered for one question's answers, worked out in memory: `discover` reads
    and writes nothing, so a caller can do this slow part before it opens a transaction and
    hold the database's write lock (one writer at a time on SQLite) only for the writes."""

    code: str
    analysis: QuestionAnalysis
    duplicates: list[DuplicateGroup]


def discover(ids: Sequence[str], texts: Sequence[str], *, code: str, k: int | None) -> Discovery:
    """Discover themes afresh for answers `texts` (by response `ids`) to question `code`."""
    corpus = build_corpus(list(ids), list(texts))
    return _discovery(code, corpus, k)


def _discovery(code: str, corpus: Corpus, k: int | None) -> Discovery:
    analysis = analyse(corpus.ids, corpus.texts, None, {}, k=k, corpus=corpus)
    return Discovery(code, analysis, find_duplicates(corpus.ids, corpus.texts))


@transaction.atomic
def write_discovery(*, consultation: Consultation, discovery: Discovery, user: Any) -> None:
    """Store discovered themes (replacing the question's themes and corrections) and every
    answer's theme, stance and duplicate group: writes only, the analysis already done."""
    code = discovery.code
    consultation.corrections.filter(question_code=code).delete()
    save_themes(
        consultation=consultation,
        code=code,
        themes=discovery.analysis.themes,
        user=user,
        reason="themes discovered",
    )
    _write_assignments(consultation, code, discovery.analysis, discovery.duplicates)


def run_themes(
    *,
    consultation: Consultation,
    code: str,
    user: Any,
    discover: bool = False,
    k: int | None = None,
) -> QuestionAnalysis | None:
    """Discover themes afresh (replacing them) or re-assign with the stored ones.

    A question with an analysts' framework is assigned by `assigning` (several themes per
    answer, learning from reviews); discovering afresh replaces the framework. The analysis
    runs before the first write, so the transaction holds the write lock only to write."""
    with transaction.atomic():  # reads and writes of one run see one state (SQLite: the
        # write lock is taken at the first write, after the analysis)
        if not discover and is_framework(consultation, code):
            assign_framework_question(consultation, code)
            return None
        corpus = corpus_for(consultation, code)
        if discover:
            discovery = _discovery(code, corpus, k)
            write_discovery(consultation=consultation, discovery=discovery, user=user)
            return discovery.analysis
        analysis = analyse(
            corpus.ids,
            corpus.texts,
            stored_themes(consultation, code),
            corrections_of(consultation, code),
            k=k,
            corpus=corpus,
        )
        groups = find_duplicates(corpus.ids, corpus.texts)
        _write_assignments(consultation, code, analysis, groups)
        return analysis


def _write_assignments(
    consultation: Consultation,
    code: str,
    analysis: QuestionAnalysis,
    groups: Sequence[DuplicateGroup],
) -> None:
    by_id = {a.response_id: a for a in analysis.assignments}
    group_of = {rid: (g.group, g.campaign) for g in groups for rid in g.ids}
    answers = list(
        TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=code
        ).select_related("respondent")
    )
    for answer in answers:
        rid = answer.respondent.response_id
        a = by_id.get(rid)
        answer.theme_key = (a.theme or "") if a else ""
        answer.confidence = a.confidence if a else 0.0
        answer.stance = analysis.stances.get(rid, "unclear")
        answer.duplicate_group, answer.campaign = group_of.get(rid, (None, False))
    update_answers(answers, ["theme_key", "confidence", "stance", "duplicate_group", "campaign"])
    write_one_theme_rows(consultation, code, answers)
    central_quotes(consultation, code, analysis.corpus)  # chosen now, while the model is here


@transaction.atomic
def save_themes(
    *, consultation: Consultation, code: str, themes: Sequence[EngineTheme], user: Any, reason: str
) -> None:
    """Make the stored themes match `themes`, recording each change in the audit trail."""
    stored = {t.key: t for t in consultation.themes.filter(question_code=code)}
    keep = {t.key for t in themes}
    for key, record in stored.items():
        if key not in keep:
            audited_delete(record, user, reason)
    for order, theme in enumerate(themes):
        record = stored.get(theme.key) or Theme(
            consultation=consultation, question_code=code, key=theme.key
        )
        changed = (
            record.pk is None
            or record.label != theme.label
            or record.keywords != theme.keywords
            or record.prototypes != theme.prototypes
            or record.order != order
            or record.framework
        )
        if changed:
            record.label, record.keywords = theme.label, theme.keywords
            record.prototypes, record.order = theme.prototypes, order
            record.framework = False  # discovered or edited themes: one theme per answer
            audited_save(record, user, reason=reason)


@transaction.atomic
def edit_themes(
    *, consultation: Consultation, code: str, user: Any, action: str, data: dict[str, Any]
) -> str:
    """Apply one analyst edit, then re-assign every response. Returns what happened."""
    themes = stored_themes(consultation, code)
    corrections = consultation.corrections.filter(question_code=code)
    if action == "rename":
        themes = rename_theme(themes, data["key"], data["label"])
        message = f"Renamed the theme to “{data['label']}”"
    elif action == "merge":
        keys = list(data["keys"])
        themes = merge_themes(themes, keys, data.get("label", ""))
        corrections.filter(theme_key__in=keys[1:]).update(theme_key=keys[0])
        message = f"Merged {len(keys)} themes"
    elif action == "split":
        members = list(
            TextAnswer.objects.filter(
                respondent__consultation=consultation, question_code=code, theme_key=data["key"]
            ).values_list("respondent__response_id", flat=True)
        )
        before = len(themes)
        themes = split_theme(
            themes, data["key"], members, corpus_for(consultation, code), int(data.get("parts", 2))
        )
        message = f"Split the theme into {len(themes) - before + 1}"
    elif action == "add":
        themes = add_theme(
            themes, data["label"], data.get("keywords", []), data.get("examples", [])
        )
        message = f"Added the theme “{data['label']}”"
    elif action == "delete":
        themes = delete_theme(themes, data["key"])
        for c in corrections.filter(theme_key=data["key"]):
            audited_delete(c, user, reason="its theme was deleted")
        message = "Deleted the theme"
    else:
        raise ConsultationError(f"Unknown theme action {action!r}")
    save_themes(
        consultation=consultation, code=code, themes=themes, user=user, reason=f"analyst {action}"
    )
    run_themes(consultation=consultation, code=code, user=user)
    return message


@transaction.atomic
def correct(
    *,
    consultation: Consultation,
    code: str,
    response_id: str,
    theme_key: str,
    user: Any,
    reason: str = "",
) -> None:
    """Put a response in a theme (or, with an empty key, remove the analyst's correction)."""
    existing = consultation.corrections.filter(question_code=code, response_id=response_id).first()
    answer = TextAnswer.objects.get(
        respondent__consultation=consultation,
        respondent__response_id=response_id,
        question_code=code,
    )
    if not theme_key:
        if existing:
            audited_delete(existing, user, reason or "correction withdrawn")
        return
    if not consultation.themes.filter(question_code=code, key=theme_key).exists():
        raise ConsultationError(f"There is no theme {theme_key!r} for question {code}")
    record = existing or Correction(
        consultation=consultation, question_code=code, response_id=response_id
    )
    before_key = answer.theme_key
    record.theme_key, record.by = theme_key, _user(user)
    audited_save(record, user, reason=reason or f"moved from theme {before_key or 'none'}")
    answer.theme_key, answer.confidence = theme_key, 1.0
    answer.save(update_fields=["theme_key", "confidence"])
    answer.themes.all().delete()
    AnswerTheme.objects.create(answer=answer, theme_key=theme_key, confidence=1.0)
    record_change(
        user, answer, "update", {"theme_key": before_key}, {"theme_key": theme_key}, reason
    )


# --- report --------------------------------------------------------------------------


def programme_of(consultation: Consultation) -> Programme | None:
    """The service change programme (Decisions) this consultation informs, if it exists."""
    if not consultation.programme_slug:
        return None
    return Programme.objects.filter(slug=consultation.programme_slug).first()


def theme_quotes(consultation: Consultation, code: str, n: int = 3) -> dict[str, list[str]]:
    """Quotes for each theme of a question: on a framework question the clearest evidence
    sentences (highest confidence, distinct, five words or more); otherwise the responses
    nearest the centre of the theme's members (kept from the analysis: `QuestionQuotes`)."""
    rows = AnswerTheme.objects.filter(
        answer__respondent__consultation=consultation, answer__question_code=code
    )
    quotes: dict[str, list[str]] = defaultdict(list)
    if is_framework(consultation, code):
        for key, sentence in rows.order_by("-confidence", "pk").values_list(
            "theme_key", "sentence"
        ):
            chosen = quotes[key]
            if len(chosen) < n and len(sentence.split()) >= 5 and sentence not in chosen:
                chosen.append(sentence)
        return dict(quotes)
    return central_quotes(consultation, code, n=n)


def _theme_members(consultation: Consultation, code: str) -> dict[str, list[str]]:
    """Each theme's responses, in response order (`themes_per_response` turned round)."""
    members: dict[str, list[str]] = defaultdict(list)
    for rid, keys in sorted(themes_per_response(consultation, code).items()):
        for key in keys:
            members[key].append(rid)
    return dict(sorted(members.items()))


def central_quotes(
    consultation: Consultation, code: str, corpus: Corpus | None = None, n: int = 3
) -> dict[str, list[str]]:
    """The responses nearest the centre of each theme's members, reused while the members
    are the same (`corpus`: the analysis's own, when it has just run)."""
    members = _theme_members(consultation, code)
    if not members:
        return {}
    digest = hashlib.sha256(json.dumps([n, sorted(members.items())]).encode()).hexdigest()
    kept = QuestionQuotes.objects.filter(consultation=consultation, question_code=code).first()
    if kept is not None and kept.members_digest == digest:
        return dict(kept.quotes)
    corpus = corpus or corpus_for(consultation, code)
    quotes = {
        key: representative_quotes(corpus, corpus.rows(ids), n) for key, ids in members.items()
    }
    QuestionQuotes.objects.update_or_create(
        consultation=consultation,
        question_code=code,
        defaults={"members_digest": digest, "quotes": quotes},
    )
    return quotes


def themes_per_response(consultation: Consultation, code: str) -> dict[str, list[str]]:
    """Each answer's stored theme keys (several on a framework question), best first."""
    out: dict[str, list[str]] = defaultdict(list)
    for rid, key in (
        AnswerTheme.objects.filter(
            answer__respondent__consultation=consultation, answer__question_code=code
        )
        .order_by("answer_id", "order")
        .values_list("answer__respondent__response_id", "theme_key")
    ):
        out[rid].append(key)
    return dict(out)


def consultation_report(consultation: Consultation) -> Report:
    """The report from the stored assignments (as the pages show them): a response with
    several themes counts once in each."""
    survey = consultation.get_survey()
    responses = responses_of(consultation)
    themes: dict[str, list[EngineTheme]] = {}
    several: dict[str, dict[str, list[str]]] = {}
    stances: dict[str, dict[str, str]] = {}
    quotes: dict[str, dict[str, list[str]]] = {}
    duplicates = []
    for q in survey.open_questions:
        stored = stored_themes(consultation, q.code)
        if not stored:
            continue
        answers = TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=q.code
        ).order_by("respondent__response_id")
        rows = list(answers.values_list("respondent__response_id", "text", "stance"))
        themes[q.code] = stored
        several[q.code] = themes_per_response(consultation, q.code)
        stances[q.code] = {rid: stance or "unclear" for rid, _, stance in rows}
        quotes[q.code] = theme_quotes(consultation, q.code)
        duplicates.extend(find_duplicates([r[0] for r in rows], [r[1] for r in rows]))
    programme = programme_of(consultation)
    return build_report(
        consultation.title,
        programme.name if programme else consultation.programme_slug,
        survey,
        responses,
        themes,
        {},
        stances,
        quotes,
        duplicates,
        themes_per_response=several,
    )
