"""What several productivity views share: the Kent and Medway providers, the rounding of
table rows, the edit check, the opportunity basis and the one-file import step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from stpkit.productivity import (
    Basis,
    InputError,
    InputIssue,
    ProductivityError,
    Waterfall,
    waterfall,
)
from stpkit.productivity import kent_medway as km
from stpkit.web.accounts.roles import EDITORS, has_role
from stpkit.web.productivity import services

KM_PROVIDERS = [name for name, _ in km.KM_TRUSTS]
MONEY_KEYS = ["target", "planned", "delivered", "forecast", "gap", "planned_to_date"]


def rounded(row: dict[str, Any]) -> dict[str, Any]:
    """Whole pounds and whole staff (the detail download keeps full precision)."""
    return {k: round(v) if isinstance(v, float) else v for k, v in row.items()}


def can_edit(request: HttpRequest) -> bool:
    return has_role(request.user, EDITORS["productivity"])


def basis_from(request: HttpRequest) -> Basis:
    """The `basis` query parameter; the peer median when it is missing or unknown."""
    try:
        return Basis(request.GET.get("basis", Basis.MEDIAN.value))
    except ValueError:
        return Basis.MEDIAN


def stored_bridge() -> tuple[Waterfall | None, str]:
    """The stored bridge as a waterfall, or None and the reason it does not reconcile."""
    try:
        return waterfall(services.bridge_steps()), ""
    except ProductivityError as exc:
        return None, str(exc)


def import_one_file(
    request: HttpRequest,
    form: forms.Form,
    field: str,
    importer: Callable[..., int],
    success: str,
    then: str,
) -> HttpResponse | list[InputIssue]:
    """Run a one-file import from a posted form: the redirect to `then` once it has loaded,
    else the issues that refused it (none when nothing was posted). The importer (a service
    taking `data`, `name` and `user`) loads all or nothing, so a refusal leaves the
    previous data as it was."""
    if request.method != "POST" or not form.is_valid():
        return []
    upload = form.cleaned_data[field]
    try:
        count = importer(data=upload.read(), name=upload.name, user=request.user)
    except InputError as exc:
        return exc.issues
    messages.success(request, success.format(count=count, name=upload.name))
    return redirect(then)
