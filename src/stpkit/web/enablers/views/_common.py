"""Pieces every enablers view uses: who may edit, the edit-form round trip, numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from stpkit.web.core.editing import edit_page as core_edit_page
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
    return core_edit_page(
        request,
        form,
        template="enablers/form.jinja",
        title=title,
        back=back,
        done=done,
        before_save=before_save,
        with_history=True,
        **context,
    )


def gbp(value: float) -> str:
    if abs(value) >= 1e6:
        return f"£{value / 1e6:,.1f}m"
    return f"£{value:,.0f}"


def pct(value: float) -> str:
    return f"{value:.0%}" if value == value else "–"
