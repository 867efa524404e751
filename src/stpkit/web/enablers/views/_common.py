"""Pieces every enablers view uses: who may edit, the edit-form round trip, numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.enablers import services
from stpkit.web.enablers.forms import VersionedForm
from stpkit.web.programme.permissions import edits_everything


def require_office(user: Any) -> None:
    """The estates workbook, workforce plan, capital plan and portfolio are edited by the
    programme office (and administrators); workstream leads read them."""
    if not edits_everything(user):
        raise PermissionDenied("Only the programme office can change this.")


def edit_page(
    request: HttpRequest,
    form: VersionedForm,
    *,
    title: str,
    back: str,
    done: Callable[[Any], str],
    before_save: Callable[[Any], None] | None = None,
    **context: Any,
) -> HttpResponse:
    """Validate, save with an audit record (refusing a stale edit), redirect to `done(obj)`."""
    stale = ""
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if before_save:
            before_save(obj)
        try:
            services.save_item(obj=obj, user=request.user, expected_version=form.expected_version)
        except StaleEditError as err:
            stale = str(err)
        else:
            form.save_m2m()
            messages.success(request, f"“{obj}” saved.")
            return redirect(done(obj))
    history = history_for(form.instance)[:20] if form.instance.pk else None
    return render(
        request,
        "enablers/form.jinja",
        {"title": title, "form": form, "stale": stale, "back": back, "history": history, **context},
    )


def gbp(value: float) -> str:
    if abs(value) >= 1e6:
        return f"£{value / 1e6:,.1f}m"
    return f"£{value:,.0f}"


def pct(value: float) -> str:
    return f"{value:.0%}" if value == value else "–"
