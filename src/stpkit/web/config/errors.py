"""Branded error pages: say what happened and what to do, never how the app is built.

Django's own pages show the URL configuration (404 with DEBUG on) or an unstyled line
(403). These handlers render the NHS.UK layout with a plain-English message. The 500 page
is rendered without the request context (the failure may be in it), so it must not need
a user, messages or the database.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader

ERRORS: dict[int, tuple[str, str]] = {
    400: (
        "Sorry, there is a problem with the request",
        "The page could not understand what was sent. Go back and try again.",
    ),
    403: (
        "You do not have permission to do this",
        "Your role does not allow this page or action. If you need it, ask the programme "
        "office to change your role.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you "
        "copied the entire address. The item may have been removed.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. If it keeps happening, tell your system administrator the time "
        "it happened; the details are in the server log.",
    ),
}


def _render(request: HttpRequest | None, status: int, reason: str = "") -> HttpResponse:
    title, advice = ERRORS[status]
    template = loader.get_template("stpkit/error.jinja")
    context = {"title": title, "advice": advice, "status": status, "reason": reason}
    body = template.render(context, request if status != 500 else None)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception is not None and str(exception) else ""
    return _render(request, 403, reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(None, 500)


class OneLineForbidden(logging.Filter):
    """Log a refused request (403) as one line: a refusal is expected, not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
