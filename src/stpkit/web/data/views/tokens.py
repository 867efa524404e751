"""The API tokens page: tokens for BI tools, each bound to one purpose the user works under."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import area_required
from stpkit.web.data import services
from stpkit.web.data.forms import (
    TOKEN_ACTIONS,
    ActionForm,
    TokenIssueForm,
    TokenRevokeForm,
    error_messages,
)
from stpkit.web.data.models import ApiToken
from stpkit.web.data.views.common import page, role, username


@area_required("data", edit=True)
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # area_required has let only signed-in users through
    mine = services.governance().purposes_for(username(request), date.today())
    secret = ""
    errors: list[str] = []
    if request.method == "POST":
        chosen = ActionForm(request.POST, actions=TOKEN_ACTIONS, default="issue")
        if not chosen.is_valid():
            errors = error_messages(chosen)
        elif chosen.cleaned_data["action"] == "revoke":
            revoke = TokenRevokeForm(request.POST)
            if revoke.is_valid():
                services.revoke_token(user=user, token_id=revoke.cleaned_data["token"] or 0)
            return redirect(request.path)
        else:
            issue = TokenIssueForm(request.POST, purposes=[p.key for p in mine])
            if issue.is_valid():
                secret = services.issue_token(
                    user=user,
                    role=role(request),
                    purpose=issue.cleaned_data["purpose"],
                    label=issue.cleaned_data["label"],
                )
            else:
                errors = error_messages(issue)
    return page(
        request,
        "tokens.jinja",
        "API tokens",
        "",
        mine=mine,
        secret=secret,
        errors=errors,
        tokens=ApiToken.objects.filter(user=user, revoked=False),
        api_root=request.build_absolute_uri("/data/api/v1/"),
    )
