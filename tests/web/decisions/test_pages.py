"""Every decisions page renders on the demo programmes, for a reader and an editor."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.decisions import demo

PAGES = [
    "programme",
    "options",
    "hurdles",
    "criteria",
    "scoring",
    "results",
    "timeline",
    "consultation",
    "history",
]


@pytest.fixture
def loaded(demo_partnership: None) -> None:
    demo.load()


@pytest.mark.parametrize("slug", [demo.STROKE_SLUG, demo.EAST_KENT_SLUG])
def test_pages_render(loaded: None, client_for: Callable[[Role], Client], slug: str) -> None:
    for role in (Role.BOARD_MEMBER, Role.PROGRAMME_OFFICE):
        client = client_for(role)
        for page in PAGES:
            r = client.get(reverse(f"decisions:{page}", args=[slug]))
            assert r.status_code == 200, (page, r.status_code)
        r = client.get(reverse("decisions:stage", args=[slug, "long_list"]))
        assert r.status_code == 200
