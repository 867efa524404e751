"""Theme actions are validated by their forms: a refused one says why and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.consultation.synthetic import OPEN_QUESTION
from stpkit.demo import consultation as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.models import Consultation, Theme

pytestmark = pytest.mark.slow


@pytest.fixture
def stroke(db: None) -> Consultation:
    demo.load(n=120)
    return Consultation.objects.get(slug=demo.SLUG)


def _themes(consultation: Consultation) -> list[tuple[str, str]]:
    return list(
        Theme.objects.filter(consultation=consultation).order_by("key").values_list("key", "label")
    )


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"action": "split", "key": "t1", "parts": "many"}, "whole number of parts"),
        ({"action": "discover", "k": "lots"}, "number of themes must be a whole number"),
        ({"action": "add", "label": "Parking"}, "Give keywords or example responses"),
        ({"action": "shuffle"}, "Unknown action"),
    ],
)
def test_a_refused_theme_action_says_why_and_changes_nothing(
    stroke: Consultation,
    client_for: Callable[[Role], Client],
    posted: dict[str, str],
    message: str,
) -> None:
    before = _themes(stroke)
    url = reverse("consultation:themes", args=[stroke.slug, OPEN_QUESTION])
    page = client_for(Role.ANALYST).post(url, posted, follow=True).content.decode()
    assert message in page
    assert _themes(stroke) == before
