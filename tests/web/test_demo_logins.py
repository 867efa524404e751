"""The demo logins: each published password is its user's, whether its hash was the
precomputed one (Django's default hasher) or made afresh (another hasher)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password

from stpkit.demo.partnership import DEMO_PASSWORD_HASHES, load_demo_logins
from stpkit.web.accounts.models import User

DEFAULT_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_each_precomputed_hash_is_its_published_password(settings: Any) -> None:
    settings.PASSWORD_HASHERS = DEFAULT_HASHERS
    assert len(DEMO_PASSWORD_HASHES) == 6
    for username, encoded in DEMO_PASSWORD_HASHES.items():
        assert check_password(f"stpkit-demo-{username}", encoded), username
        assert not check_password(f"stpkit-demo-{username}x", encoded), username


@pytest.mark.django_db
def test_on_the_default_hasher_the_logins_get_the_precomputed_hashes_and_check(
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = DEFAULT_HASHERS
    logins = load_demo_logins()
    stored = dict(User.objects.values_list("username", "password"))
    assert {login.username: stored[login.username] for login in logins} == DEMO_PASSWORD_HASHES
    board = next(login for login in logins if login.username == "board")
    assert User.objects.get(username="board").check_password(board.password)


@pytest.mark.django_db
def test_on_another_hasher_the_passwords_are_hashed_afresh_and_check() -> None:
    # tests run on the MD5 hasher (tests/conftest.py)
    logins = load_demo_logins()
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.password.startswith("md5$"), login.username
        assert user.check_password(login.password), login.username
