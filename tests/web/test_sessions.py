"""A session ends after an idle hour, and is renewed at most once a minute, not written on
every request (the write was a large share of a page view under many users)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from stpkit.web.accounts.roles import Role
from stpkit.web.config.sessions import RENEWED_KEY


def _expiry(client: Client) -> object:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_reader_renews_the_session_once_a_minute(
    client_for: Callable[[Role], Client],
) -> None:
    client = client_for(Role.BOARD_MEMBER)
    assert client.get("/").status_code == 200
    first = _expiry(client)
    assert client.get("/").status_code == 200
    assert _expiry(client) == first  # within the minute: no write
    session = client.session
    session[RENEWED_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get("/").status_code == 200
    renewed = _expiry(client)
    assert renewed > timezone.now() + timedelta(minutes=59)  # a full idle hour again


def test_an_idle_session_has_ended(client_for: Callable[[Role], Client]) -> None:
    client = client_for(Role.BOARD_MEMBER)
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
