"""A theme's quotes are chosen when the analysis runs, so the themes page never rebuilds
the question's text model (seconds for thousands of answers) on its first view; they are
chosen again when the theme memberships change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.consultation.synthetic import OPEN_QUESTION
from stpkit.demo import consultation as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation import services
from stpkit.web.consultation.models import Consultation, QuestionQuotes, TextAnswer

pytestmark = pytest.mark.slow


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the text models built (the real `build_corpus` still runs)."""
    runs: list[int] = []
    real = services.build_corpus

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "build_corpus", counted)
    return runs


def test_the_themes_page_reads_the_quotes_the_analysis_chose(
    db: None, client_for: Callable[[Role], Client], built: list[int]
) -> None:
    demo.load(n=300)
    consultation = Consultation.objects.get(slug=demo.SLUG)
    assert not services.is_framework(consultation, OPEN_QUESTION)
    kept = QuestionQuotes.objects.get(consultation=consultation, question_code=OPEN_QUESTION)
    assert kept.quotes and all(1 <= len(q) <= 3 for q in kept.quotes.values())
    services._CORPORA.clear()  # as a server process that did not run the analysis
    before = len(built)
    page = client_for(Role.ANALYST).get(
        reverse("consultation:themes", kwargs={"slug": consultation.slug, "code": OPEN_QUESTION})
    )
    assert page.status_code == 200
    assert len(built) == before, "the themes page built the text model"
    quote = next(iter(kept.quotes.values()))[0]
    assert quote[:40].replace("'", "&#39;").replace('"', "&#34;") in page.content.decode()

    # the same quotes as choosing them afresh
    kept.delete()
    assert services.theme_quotes(consultation, OPEN_QUESTION) == kept.quotes
    assert len(built) == before + 1

    # a correction changes the members: the quotes are chosen again, once
    answer = (
        TextAnswer.objects.filter(
            respondent__consultation=consultation, question_code=OPEN_QUESTION
        )
        .exclude(theme_key="")
        .select_related("respondent")
        .first()
    )
    assert answer is not None
    other = (
        consultation.themes.filter(question_code=OPEN_QUESTION)
        .exclude(key=answer.theme_key)
        .first()
    )
    assert other is not None
    services.correct(
        consultation=consultation,
        code=OPEN_QUESTION,
        response_id=answer.respondent.response_id,
        theme_key=other.key,
        user=None,
    )
    services._CORPORA.clear()
    services.theme_quotes(consultation, OPEN_QUESTION)
    services.theme_quotes(consultation, OPEN_QUESTION)
    assert len(built) == before + 2
