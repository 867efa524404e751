"""The home dashboard shows real numbers from the demo data and the reference data."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from stpkit.demo import load_demo
from stpkit.demo.partnership import WORKSTREAMS, load_partnership
from stpkit.reference import get_reference
from stpkit.web.accounts.roles import Role
from stpkit.web.programme.models import Workstream


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]+)<', html)
    assert match, f"figure {name} not on the page"
    return match.group(1).strip()


def test_home_dashboard_figures(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    html = client_for(Role.BOARD_MEMBER).get(reverse("core:home")).content.decode()
    assert _figure(html, "workstreams") == "10"
    assert _figure(html, "stroke-sites") == "7"
    expected = get_reference().summary("Kent and Medway")["stroke_admissions"]
    assert _figure(html, "stroke-admissions") == f"{expected:,.0f}"
    assert "Maidstone District General Hospital" in html


def test_demo_load_is_idempotent(db: None) -> None:
    load_partnership()
    load_partnership()
    assert Workstream.objects.count() == len(WORKSTREAMS) == 10
    logins = load_demo()
    assert {login.role for login in logins} == set(Role)


@pytest.mark.postgres
def test_runs_on_postgresql(db: None) -> None:
    assert connection.vendor == "postgresql"
    load_partnership()
    assert Workstream.objects.filter(kind="enabling").count() == 3
