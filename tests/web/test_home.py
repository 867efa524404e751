"""The home app serves the cross-area pages under the names they always had."""

from __future__ import annotations

from django.urls import resolve, reverse

from stpkit.web.home import views


def test_the_home_dashboard_keeps_its_url_and_name() -> None:
    assert reverse("core:home") == "/"
    match = resolve("/")
    assert match.func is views.home
    assert match.namespace == "core"


def test_the_programme_dashboard_keeps_its_url_and_name() -> None:
    assert reverse("programme:index") == "/programme/"
    match = resolve("/programme/")
    assert match.func is views.programme
    assert match.namespace == "programme"


def test_the_other_core_and_programme_pages_are_unchanged() -> None:
    assert reverse("core:about") == "/about/"
    assert reverse("programme:risks") == "/programme/risks/"
    assert reverse("board:index") == "/programme/board/"
