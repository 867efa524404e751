"""One demo clock: with `DEMO_AS_AT` set (as `stpkit demo` sets it), flags are judged on the
demo's date and every page carries a banner naming it; without it, the real date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from stpkit.demo import programme as programme_demo
from stpkit.demo.clock import AS_AT
from stpkit.web.accounts.roles import Role
from stpkit.web.core import clock
from stpkit.web.programme.models import Risk

OVERDUE = "programme-review-overdue"


@pytest.fixture
def demo_programme(demo_partnership: None) -> None:
    programme_demo.load()


@pytest.mark.usefixtures("demo_programme")
def test_on_the_demo_clock_not_every_risk_is_overdue_and_the_banner_names_the_date(
    settings: Any, client_for: Callable[[Role], Client]
) -> None:
    settings.DEMO_AS_AT = AS_AT
    assert clock.today() == AS_AT
    risks = Risk.objects.count()
    assert risks >= 10
    client = client_for(Role.PROGRAMME_OFFICE)
    html = client.get("/programme/risks/").content.decode()
    assert 0 < html.count(OVERDUE) < risks // 2
    for page in ("/", "/programme/", "/programme/risks/", "/decisions/"):
        html = client.get(page).content.decode()
        assert "stpkit-demo-banner" in html, page
        assert "shown as at <strong>5 March 2018</strong>" in html, page


@pytest.mark.usefixtures("demo_programme")
def test_on_the_real_clock_there_is_no_banner_and_the_seed_risks_are_overdue(
    settings: Any, client_for: Callable[[Role], Client]
) -> None:
    settings.DEMO_AS_AT = None
    assert clock.today() > date(2025, 1, 1)
    html = client_for(Role.PROGRAMME_OFFICE).get("/programme/risks/").content.decode()
    assert "stpkit-demo-banner" not in html
    assert html.count(OVERDUE) >= Risk.objects.exclude(status="closed").count() // 2
