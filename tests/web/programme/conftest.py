"""The programme demo loaded into the test database, and clients for its people."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from stpkit.demo import programme as demo
from stpkit.demo.partnership import load_partnership
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role


@pytest.fixture
def programme_demo(db: None) -> None:
    load_partnership()
    for username, role in [
        ("office", Role.PROGRAMME_OFFICE),
        ("board", Role.BOARD_MEMBER),
        ("lead", Role.WORKSTREAM_LEAD),
    ]:
        User.objects.update_or_create(username=username, defaults={"role": role.value})
    demo.load()


@pytest.fixture
def client_as(programme_demo: None) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make
