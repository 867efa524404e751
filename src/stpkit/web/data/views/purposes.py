"""The purposes page: request a purpose; the data controller approves or revokes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from stpkit.disclosure import POLICIES
from stpkit.kid.governed import DATA_CONTROLLER, AccessRefused, GovernanceError, Purpose
from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.data import services
from stpkit.web.data.forms import (
    PURPOSE_ACTIONS,
    ActionForm,
    PurposeDecisionForm,
    PurposeRequestForm,
    error_messages,
)
from stpkit.web.data.views.common import page, role, username


def _request(request: HttpRequest) -> tuple[str, list[str]]:
    """Record the posted purpose as requested: (message, errors)."""
    if not can_edit_area(request.user, "data"):
        raise AccessRefused("Your role cannot request purposes.")
    form = PurposeRequestForm(request.POST)
    if not form.is_valid():
        return "", error_messages(form)
    data = form.cleaned_data
    purpose = Purpose(
        key=data["key"],
        title=data["title"],
        owner=username(request),
        expires=data["expires"],
        tables=form.tables(),
        disclosure_policy=data["policy"],
        person_level_extracts=data["person_level"],
        members=data["members"],
        description=data["description"],
    )
    services.governance().request(purpose, user=username(request), role=role(request))
    return f"Purpose “{purpose.title}” requested; the data controller will decide.", []


def _decide(request: HttpRequest, action: str) -> tuple[str, list[str]]:
    """Approve or revoke the posted purpose (governance refuses anyone but the controller)."""
    form = PurposeDecisionForm(request.POST)
    if not form.is_valid():
        return "", error_messages(form)
    key = form.cleaned_data["key"]
    services.governance().decide(
        key, approve=action == "approve", user=username(request), role=role(request)
    )
    return f"Purpose {key} {action}d.", []


def _post(request: HttpRequest) -> tuple[str, list[str]]:
    chosen = ActionForm(request.POST, actions=PURPOSE_ACTIONS)
    if not chosen.is_valid():
        return "", error_messages(chosen)
    action = chosen.cleaned_data["action"]
    try:
        return _request(request) if action == "request" else _decide(request, action)
    except GovernanceError as exc:
        return "", [str(exc)]


@area_required("data")
def purposes(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    message = ""
    if request.method == "POST":
        message, errors = _post(request)
        if not errors:
            return redirect(f"{request.path}?done={message}")
    today = date.today()
    rows: list[dict[str, Any]] = [
        {**p.to_json(), "active": p.is_active(today), "users": ", ".join(sorted(p.users()))}
        for p in services.governance().purposes()
    ]
    return page(
        request,
        "purposes.jinja",
        "Purposes",
        "data:purposes",
        rows=rows,
        errors=errors,
        message=request.GET.get("done", message),
        is_controller=role(request) == DATA_CONTROLLER,
        policies=sorted(POLICIES),
    )
