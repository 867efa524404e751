"""Figures kept per data version: any write moves the version, and any name makes a key."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from stpkit.web.core import datacache
from stpkit.web.programme.models import Workstream

pytestmark = pytest.mark.django_db


def test_a_figure_is_computed_once_until_a_write() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert datacache.cached("test.figure", compute) == 1
    assert datacache.cached("test.figure", compute) == 1
    Workstream.objects.create(slug="x-test", name="X test", kind="enabling")
    assert datacache.cached("test.figure", compute) == 2


@pytest.mark.parametrize(
    "name",
    ["with spaces (0.1, 0.2)", "x" * 400, "tab\there", "unicode £ name"],
)
def test_any_name_makes_a_key_every_backend_takes(name: str) -> None:
    key = f"stpkit.figures:{datacache._safe(name)}:v"
    assert len(key) < 250 and " " not in key and all(31 < ord(c) < 127 for c in key)
    assert datacache.cached(name, lambda: 7) == 7
    assert cache.get(f"stpkit.figures:{datacache._safe(name)}:{datacache.data_version()}") == 7


def test_different_names_keep_different_figures() -> None:
    assert datacache._safe("a b") != datacache._safe("a_b")
    assert datacache.cached("a b", lambda: 1) == 1
    assert datacache.cached("a_b", lambda: 2) == 2
