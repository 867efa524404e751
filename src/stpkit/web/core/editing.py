"""The edit-form round trip every app repeats: validate, save audited, refuse stale edits.

A page that edits one versioned record (a measure, a benefit, a building, a scheme) does
the same four things: show the form; on a valid POST save it with its audit record;
if someone else saved first, say who and keep the user's input (never overwrite); else
say it was saved and go back. Written once here so that the refusal and the message
cannot drift apart between apps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.web.core.audit import StaleEditError, audited_save, history_for


class VersionedModelForm(Protocol):
    """A ModelForm over a `Versioned` model that carries the version it was built from."""

    instance: Any

    @property
    def expected_version(self) -> int | None: ...

    def is_valid(self) -> bool: ...
    def save(self, commit: bool = ...) -> Any: ...
    def save_m2m(self) -> None: ...


def edit_page(
    request: HttpRequest,
    form: VersionedModelForm,
    *,
    template: str,
    title: str,
    back: Any,
    done: Callable[[Any], str],
    before_save: Callable[[Any], None] | None = None,
    saved_message: Callable[[Any], str] = lambda obj: f"“{obj}” saved.",
    with_history: bool = False,
    **context: Any,
) -> HttpResponse:
    """Render `template` with the form, or save it and redirect to `done(obj)`."""
    stale = ""
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if before_save is not None:
            before_save(obj)
        try:
            audited_save(obj, request.user, expected_version=form.expected_version)
        except StaleEditError as err:
            stale = str(err)
        else:
            form.save_m2m()
            messages.success(request, saved_message(obj))
            return redirect(done(obj))
    history: models.QuerySet[Any] | None = None
    if with_history and form.instance.pk:
        history = history_for(form.instance)[:20]
    page = {"title": title, "form": form, "stale": stale, "back": back, **context}
    if with_history:
        page["history"] = history
    return render(request, template, page)
