"""Demo: the synthetic Kent and Medway stroke consultation, themed and ready to review.

Several thousand responses from `stpkit.consultation.synthetic` (fixed seed), each with
its known theme and stance kept alongside, so the accuracy of theming can be checked.
Idempotent: a consultation that already has its responses is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from stpkit.consultation.importing import ImportResult, import_responses
from stpkit.consultation.survey import survey_to_dict
from stpkit.consultation.synthetic import OPEN_QUESTION, STROKE_SURVEY, generate, to_csv
from stpkit.consultation.themes import add_theme
from stpkit.web.consultation.models import Consultation, ImportRun
from stpkit.web.consultation.services import (
    Discovery,
    discover,
    save_themes,
    store_responses,
    write_discovery,
)

SLUG = "stroke-services-2026"
TITLE = "Improving urgent stroke services in Kent and Medway"
PROGRAMME_SLUG = "stroke-kent-medway"  # the service change programme in Decisions
RESPONSES = 4000
SEED = 2017


@dataclass(frozen=True)
class Prepared:
    """The responses as imported, their known themes, and the themes discovered in the
    open question's answers: the demo worked out, before anything is written."""

    result: ImportResult
    known: dict[str, dict[str, Any]]
    discovery: Discovery


def load(n: int = RESPONSES, k: int | None = None) -> None:
    """Load n synthetic responses and discover k themes (chosen automatically if None)."""
    write(prepare(n, k))


def prepare(n: int = RESPONSES, k: int | None = None) -> Prepared | None:
    """Everything slow (generating, reading and theming the responses), touching no table:
    `stpkit demo` serves while this area loads, and on SQLite a login (which writes) waits
    for the write transaction, which must not be held while the themes are found. None
    when the consultation already has its responses (or none are asked for)."""
    if n == 0 or Consultation.objects.filter(slug=SLUG, respondents__isnull=False).exists():
        return None
    synthetic = generate(n, SEED)
    result = import_responses(to_csv(synthetic), STROKE_SURVEY, "stroke-consultation-synthetic.csv")
    known = {
        s.row["response_id"]: {"theme": s.theme, "stance": s.stance, "campaign": s.campaign}
        for s in synthetic
    }
    answers = sorted(  # in response ID order, as the stored corpus reads them
        (r.response_id, r.texts[OPEN_QUESTION])
        for r in result.responses
        if OPEN_QUESTION in r.texts
    )
    discovery = discover(
        [rid for rid, _ in answers], [text for _, text in answers], code=OPEN_QUESTION, k=k
    )
    return Prepared(result, known, discovery)


def write(prepared: Prepared | None) -> None:
    """Write the consultation and what `prepare` worked out, in one transaction."""
    with transaction.atomic():
        consultation = _consultation()
        if prepared is None or consultation.respondents.exists():
            return
        result = prepared.result
        store_responses(consultation=consultation, responses=result.responses, known=prepared.known)
        ImportRun.objects.create(
            consultation=consultation,
            filename=result.filename,
            rows_read=result.rows_read,
            rows_loaded=len(result.responses),
            errors=[],
        )
        write_discovery(consultation=consultation, discovery=prepared.discovery, user=None)


def _consultation() -> Consultation:
    consultation, _ = Consultation.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": TITLE,
            "programme_slug": PROGRAMME_SLUG,
            "description": (
                "Public consultation on creating three hyper acute stroke units (HASUs) with "
                "acute stroke units, and on the options for where they should be. "
                "Synthetic responses for demonstration: every response carries a known theme."
            ),
            "opens": date(2018, 2, 1),
            "closes": date(2018, 4, 30),
            "survey": survey_to_dict(STROKE_SURVEY),
        },
    )
    return consultation


def load_sample(n: int = 30) -> None:
    """A small version of the demo with two analyst-made themes, not yet assigned.

    For tests that only need the pages to have something to show (the role matrix calls
    it before every test, so it must be quick).
    """
    if Consultation.objects.filter(slug=SLUG).exists():
        return
    load(n=0)
    consultation = Consultation.objects.get(slug=SLUG)
    synthetic = generate(n, SEED)
    result = import_responses(to_csv(synthetic), STROKE_SURVEY, "sample.csv")
    store_responses(consultation=consultation, responses=result.responses)
    themes = add_theme([], "Travel and access", ["travel", "bus", "journey", "far"])
    themes = add_theme(themes, "Support for the proposal", ["support", "agree", "right"])
    save_themes(
        consultation=consultation,
        code=OPEN_QUESTION,
        themes=themes,
        user=None,
        reason="sample themes",
    )
