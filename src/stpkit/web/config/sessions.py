"""Idle sessions end, without a database write on every request.

A session ends after SESSION_COOKIE_AGE seconds without a request. Django's way to get
that, SESSION_SAVE_EVERY_REQUEST, writes the session row (a transaction of three
statements) on every page view, which under many users is a large share of each request.
This middleware renews the session instead when it was last renewed RENEW_SECONDS or more
ago: the expiry is then at most a minute short of a full idle period after the last
request, and a reader costs one write a minute rather than one per page.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

RENEW_SECONDS = 60
RENEWED_KEY = "_stpkit_renewed"


class RenewIdleSession:
    """Mark a logged-in session modified (so it is saved with a new expiry) once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            if now - int(session.get(RENEWED_KEY, 0)) >= RENEW_SECONDS:
                session[RENEWED_KEY] = now
        return self.get_response(request)
