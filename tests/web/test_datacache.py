"""Figures kept per data version: any write moves the version, and any name makes a key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
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


def test_a_login_and_its_session_leave_cached_figures_cached(
    user_with_role: Callable[[Role], User],
) -> None:
    """Logging in writes `last_login`, a session row and django-axes' records: none of them
    changes a figure, and each used to move the data version, so every login recomputed
    every cached figure on every page."""
    user = user_with_role(Role.BOARD_MEMBER)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert datacache.cached("test.login", compute) == 1
    before = datacache.data_version()
    client = Client()
    answer = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "a-long-test-password-1"},
    )
    assert answer.status_code == 302 and "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.last_login is not None  # the login did write
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert datacache.data_version() == before
    assert datacache.cached("test.login", compute) == 1
    # a real change to a user (a new role) still moves the version
    user.role = Role.ANALYST.value
    user.save()
    assert datacache.data_version() != before
    assert datacache.cached("test.login", compute) == 2


@pytest.mark.parametrize(
    ("sql", "moves"),
    [
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = %s, "role" = %s WHERE "id" = %s', True),
        ('UPDATE "accounts_user" SET "role" = %s WHERE "accounts_user"."id" = %s', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "programme_risk" SET "score" = %s WHERE "id" = %s', True),
    ],
)
def test_which_writes_move_the_data_version(sql: str, moves: bool) -> None:
    assert datacache.moves_version(sql) is moves


@pytest.mark.django_db(transaction=True)
def test_a_bulk_transaction_moves_the_version_once_then_at_commit() -> None:
    """A bulk load of thousands of rows replaced the version file once per statement (54 s
    of one demo area's load, under the write lock). With nobody reading the version between
    its writes, a transaction moves it at its first write and at its commit only: nobody
    else sees the writes before the commit."""
    from django.db import transaction

    def on_file() -> str:  # the file as it is, without this thread reading the version
        return datacache.version_file().read_text()

    before = datacache.data_version()
    with transaction.atomic():
        Workstream.objects.create(slug="t-one", name="T one", kind="enabling")
        first = on_file()
        for n in range(5):
            Workstream.objects.create(slug=f"t-{n}", name=f"T {n}", kind="enabling")
        assert on_file() == first != before
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            Workstream.objects.filter(slug="t-one").update(name="T renamed")
            raise RuntimeError
    assert on_file() not in (before, first)
    settled = datacache.data_version()
    Workstream.objects.filter(slug="t-one").update(name="T again")  # autocommit: moves
    assert datacache.data_version() != settled


@pytest.mark.django_db(transaction=True)
def test_a_figure_kept_inside_a_transaction_is_dropped_by_its_next_write() -> None:
    """A view that writes, shows a figure, writes again and shows it again must see its own
    second write: having read the version, the next write moves it again."""
    from django.db import transaction

    def count() -> int:
        return Workstream.objects.count()

    with transaction.atomic():
        Workstream.objects.create(slug="u-one", name="U one", kind="enabling")
        seen = datacache.cached("test.count", count)
        Workstream.objects.create(slug="u-two", name="U two", kind="enabling")
        assert datacache.cached("test.count", count) == seen + 1
