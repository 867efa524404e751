"""Assigning a framework question: several themes per answer, learning from reviews.

A question whose themes come from the analysts' framework (`Theme.framework`) is assigned
by the several-themes engine (`stpkit.consultation.multitheme`) from the themes' names and
descriptions, and learns from the analysts' reviewed responses (`ReviewLabel`). Every
fifth review is held back from the learning; each run records how well the assignment
agrees with the analyst on those held-back responses, without and with the learning, so
the review page can show what the reviews gained.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, transaction

from stpkit.consultation.analysis import QuestionAnalysis, analyse
from stpkit.consultation.duplicates import find_duplicates
from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.evaluation import multilabel_scores
from stpkit.consultation.framework import FrameworkTheme
from stpkit.consultation.survey import QuestionKind
from stpkit.web.consultation.models import (
    AnswerTheme,
    AssignmentRun,
    Consultation,
    ReviewLabel,
    TextAnswer,
)
from stpkit.web.core.audit import audited_save

HOLD_BACK_EVERY = 5  # every fifth review is kept out of the learning, to measure the gain


def is_framework(consultation: Consultation, code: str) -> bool:
    """Whether the question's themes are an analysts' framework (several themes each)."""
    return consultation.themes.filter(question_code=code, framework=True).exists()


def framework_of(consultation: Consultation, code: str) -> list[FrameworkTheme]:
    return [t.as_framework() for t in consultation.themes.filter(question_code=code)]


def closed_sides(consultation: Consultation) -> dict[str, str]:
    """Each respondent's side from the survey's first agree/disagree (Likert) question,
    a stance signal the engine trusts over the wording of the open answer."""
    survey = consultation.get_survey()
    question = next((q for q in survey.closed_questions if q.kind is QuestionKind.LIKERT), None)
    if question is None:
        return {}
    sides: dict[str, str] = {}
    for rid, answers in consultation.respondents.values_list("response_id", "answers"):
        answer = (answers or {}).get(question.code)
        if answer in question.agree_options:
            sides[rid] = "agree"
        elif answer in question.disagree_options:
            sides[rid] = "disagree"
    return sides


def next_is_held_back(consultation: Consultation, code: str) -> bool:
    """The review about to be added is held back if it is the 5th, 10th, ... of the question."""
    done = consultation.review_labels.filter(question_code=code).count()
    return (done + 1) % HOLD_BACK_EVERY == 0


def _texts(consultation: Consultation, code: str) -> tuple[list[str], list[str]]:
    rows = list(
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=code)
        .order_by("respondent__response_id")
        .values_list("respondent__response_id", "text")
    )
    if not rows:
        raise ConsultationError(f"No answers to question {code} have been imported yet")
    return [r[0] for r in rows], [r[1] for r in rows]


Predictions = dict[str, tuple[list[str], str]]  # response id -> (theme keys, stance)

# names-and-descriptions-only predictions, kept while the framework, texts and closed
# answers are unchanged, so measuring the gain does not run the engine twice every time
_BASELINES: dict[tuple[int, str], tuple[int, Predictions]] = {}


def _predictions(analysis: QuestionAnalysis) -> Predictions:
    return {
        rid: (analysis.themes_of(rid), str(analysis.stances.get(rid, "unclear")))
        for rid in analysis.corpus.ids
    }


def _agreement(
    predicted: Predictions, held: Sequence[ReviewLabel], keys: Sequence[str]
) -> tuple[float, float | None]:
    """Micro F1 of themes and share of stances matching the held-back reviews."""
    truth = {r.response_id: [k for k in r.theme_keys if k in keys] for r in held}
    themes = multilabel_scores(
        {rid: predicted.get(rid, ([], ""))[0] for rid in truth}, truth, keys
    ).micro_f1
    sided = [r for r in held if r.stance]
    stance = (
        sum(predicted.get(r.response_id, ([], ""))[1] == r.stance for r in sided) / len(sided)
        if sided
        else None
    )
    return themes, stance


@transaction.atomic
def assign_framework_question(consultation: Consultation, code: str) -> AssignmentRun:
    """Assign every answer its themes and stance, learning from the analysts' reviews
    (except those held back), and record the agreement on the held-back reviews."""
    framework = framework_of(consultation, code)
    if not framework:
        raise ConsultationError(f"Question {code} has no themes in its framework yet")
    keys = [t.key for t in framework]
    ids, texts = _texts(consultation, code)
    present = set(ids)
    reviews = [
        r for r in consultation.review_labels.filter(question_code=code) if r.response_id in present
    ]
    learn = {
        r.response_id: [k for k in r.theme_keys if k in keys] for r in reviews if not r.held_back
    }
    learn_stance = {r.response_id: r.stance for r in reviews if not r.held_back and r.stance}
    held = [r for r in reviews if r.held_back]
    closed = closed_sides(consultation)
    analysis = analyse(
        ids,
        texts,
        framework=framework,
        labels=learn or None,
        closed_answers=closed,
        stance_labels=learn_stance or None,
    )
    run = AssignmentRun(
        consultation=consultation, question_code=code, learned_from=len(learn), held_back=len(held)
    )
    state = hash((tuple(framework), tuple(ids), tuple(texts), tuple(sorted(closed.items()))))
    if not learn:  # this run is itself the names-and-descriptions-only baseline
        _BASELINES[(consultation.pk, code)] = (state, _predictions(analysis))
    if held:
        run.themes_after, run.stance_after = _agreement(_predictions(analysis), held, keys)
        cached = _BASELINES.get((consultation.pk, code))
        if cached is None or cached[0] != state:
            without = analyse(ids, texts, framework=framework, closed_answers=closed)
            cached = (state, _predictions(without))
            _BASELINES[(consultation.pk, code)] = cached
        run.themes_before, run.stance_before = _agreement(cached[1], held, keys)
    run.save()
    _write(consultation, code, analysis, {r.response_id: r for r in reviews}, texts)
    return run


def _write(
    consultation: Consultation,
    code: str,
    analysis: QuestionAnalysis,
    reviewed: Mapping[str, ReviewLabel],
    texts: Sequence[str],
) -> None:
    """Store each answer's themes (reviewed answers keep the analyst's), stance and margin."""
    hits = analysis.hits or {}
    margins = analysis.margins or {}
    groups = find_duplicates(analysis.corpus.ids, list(texts))
    group_of = {rid: (g.group, g.campaign) for g in groups for rid in g.ids}
    answers = list(
        TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=code
        ).select_related("respondent")
    )
    rows: list[AnswerTheme] = []
    for answer in answers:
        rid = answer.respondent.response_id
        found = [(h.theme, h.confidence, h.sentence) for h in hits.get(rid, [])]
        stance = analysis.stances.get(rid, "unclear")
        review = reviewed.get(rid)
        if review is not None:
            sentence = {key: s for key, _, s in found}
            found = [(k, 1.0, sentence.get(k, "")) for k in review.theme_keys]
            stance = review.stance or stance
        answer.theme_key = found[0][0] if found else ""
        answer.confidence = found[0][1] if found else 0.0
        answer.stance = stance
        margin = margins.get(rid)
        answer.margin = None if review or margin is None or margin == float("inf") else margin
        answer.duplicate_group, answer.campaign = group_of.get(rid, (None, False))
        rows.extend(
            AnswerTheme(answer=answer, theme_key=k, confidence=c, sentence=s, order=n)
            for n, (k, c, s) in enumerate(found)
        )
    update_answers(
        answers, ["theme_key", "confidence", "stance", "margin", "duplicate_group", "campaign"]
    )
    AnswerTheme.objects.filter(
        answer__respondent__consultation=consultation, answer__question_code=code
    ).delete()
    AnswerTheme.objects.bulk_create(rows, batch_size=1000)


def _plain(value: Any) -> Any:
    """A value the database driver takes as it is (a stance is a str enum)."""
    return str(value) if isinstance(value, str) else value


def update_answers(answers: Sequence[TextAnswer], fields: Sequence[str]) -> None:
    """One parameterised UPDATE per answer, sent together (Django's bulk_update builds a
    CASE expression per field and row, which took 16 s for 1,000 answers here)."""
    meta = TextAnswer._meta
    columns = [str(getattr(meta.get_field(f), "column", f)) for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(c)} = %s" for c in columns)
        + f" WHERE {quote(str(getattr(meta.pk, 'column', 'id')))} = %s"
    )
    rows = [[_plain(getattr(a, f)) for f in fields] + [a.pk] for a in answers]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def write_one_theme_rows(
    consultation: Consultation, code: str, answers: Sequence[TextAnswer]
) -> None:
    """The one-theme path's answers as theme rows, so counting is the same for both paths."""
    AnswerTheme.objects.filter(
        answer__respondent__consultation=consultation, answer__question_code=code
    ).delete()
    AnswerTheme.objects.bulk_create(
        [
            AnswerTheme(answer=a, theme_key=a.theme_key, confidence=a.confidence)
            for a in answers
            if a.theme_key
        ],
        batch_size=1000,
    )


@transaction.atomic
def review_response(
    *,
    consultation: Consultation,
    code: str,
    response_id: str,
    theme_keys: Sequence[str],
    stance: str,
    user: Any,
) -> ReviewLabel:
    """Store the analyst's themes and stance for one answer (audited) and show them at once;
    the next assignment learns from it unless it is one of the held-back reviews."""
    answer = TextAnswer.objects.filter(
        respondent__consultation=consultation,
        respondent__response_id=response_id,
        question_code=code,
    ).first()
    if answer is None:
        raise ConsultationError(f"There is no answer from {response_id} to question {code}")
    keys = list(dict.fromkeys(theme_keys))
    known = set(
        consultation.themes.filter(question_code=code, framework=True).values_list("key", flat=True)
    )
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ConsultationError(f"There is no theme {unknown[0]!r} for question {code}")
    if stance not in ("", "agree", "disagree", "unclear"):
        raise ConsultationError(f"Stance must be agree, disagree or unclear, not {stance!r}")
    label = consultation.review_labels.filter(question_code=code, response_id=response_id).first()
    if label is None:
        label = ReviewLabel(
            consultation=consultation,
            question_code=code,
            response_id=response_id,
            held_back=next_is_held_back(consultation, code),
        )
    label.theme_keys, label.stance = keys, stance
    label.by = user if getattr(user, "is_authenticated", False) else None
    audited_save(label, user, reason="analyst reviewed the response")
    sentence = dict(answer.themes.values_list("theme_key", "sentence"))
    answer.themes.all().delete()
    AnswerTheme.objects.bulk_create(
        AnswerTheme(
            answer=answer, theme_key=k, confidence=1.0, sentence=sentence.get(k, ""), order=n
        )
        for n, k in enumerate(keys)
    )
    answer.theme_key = keys[0] if keys else ""
    answer.confidence = 1.0 if keys else 0.0
    answer.stance = stance or answer.stance
    answer.margin = None
    answer.save(update_fields=["theme_key", "confidence", "stance", "margin"])
    return label


def latest_run(consultation: Consultation, code: str) -> AssignmentRun | None:
    return consultation.assignment_runs.filter(question_code=code).first()


def review_summary(consultation: Consultation, code: str) -> dict[str, Any]:
    labels = consultation.review_labels.filter(question_code=code)
    return {
        "reviewed": labels.count(),
        "held_back": labels.filter(held_back=True).count(),
        "run": latest_run(consultation, code),
    }
