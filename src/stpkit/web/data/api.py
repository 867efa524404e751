"""The read-only JSON API for the partnership's BI tools (token auth, OpenAPI 3 document).

Every request carries `Authorization: Bearer <token>`; a token belongs to one user and one
purpose, and the request is authorised and logged exactly as the same question asked in the
web app: a missing or unknown token is 401, a purpose that does not allow the question
(expired, revoked, tables outside it) is 403, a malformed parameter is 400, each with a JSON
`{"error": ...}` body naming the parameter. Counts pass the purpose's disclosure policy and
the differencing check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from stpkit.disclosure import policy_named
from stpkit.kid import dashboards
from stpkit.kid.governed import (
    AccessRefused,
    AggregateQuery,
    GovernanceError,
    QueryService,
)
from stpkit.web.accounts.roles import can_see_area, user_role
from stpkit.web.data import services
from stpkit.web.data.models import ApiToken, hash_token
from stpkit.web.data.openapi import openapi_document

API_PREFIX = "/data/api/v1"


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="stpkit-kid"'
    return response


Handler = Callable[[HttpRequest, ApiToken], JsonResponse]


def token_required(view: Handler) -> Callable[[HttpRequest], JsonResponse]:
    @login_not_required
    @require_GET
    def wrapped(request: HttpRequest) -> JsonResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return _error(401, "Send an API token as 'Authorization: Bearer <token>'.")
        token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(secret.strip()), revoked=False)
            .first()
        )
        if token is None or not token.user.is_active:
            return _error(401, "The API token is unknown or revoked.")
        if not can_see_area(token.user, "data"):
            return _error(403, "The token's user no longer has access to the data area.")
        ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
        try:
            return view(request, token)
        except AccessRefused as exc:
            return _error(403, str(exc))
        except GovernanceError as exc:
            return _error(400, str(exc))

    wrapped.__name__ = view.__name__
    return wrapped


def _role(token: ApiToken) -> str:
    role = user_role(token.user)
    return role.value if role else ""


@token_required
def aggregate(request: HttpRequest, token: ApiToken) -> JsonResponse:
    unknown = set(request.GET) - {"table", "group_by", "filter"}
    if unknown:
        return _error(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    table = request.GET.get("table", "")
    group_by = [g for g in ",".join(request.GET.getlist("group_by")).split(",") if g]
    filters: dict[str, list[str]] = {}
    for item in request.GET.getlist("filter"):
        dim, sep, values = item.partition(":")
        parts = [v for v in values.split("|") if v]
        if not sep or not dim or not parts:
            return _error(400, f"filter {item!r}: write it as dimension:value1|value2")
        filters.setdefault(dim, []).extend(parts)
    store = services.get_store()
    if store is None:
        return _error(503, "No store has been built yet.")
    q = AggregateQuery.build(table, group_by, filters)
    answer = QueryService(store, services.governance()).ask(
        q,
        user=token.user.username,
        role=_role(token),
        purpose_key=token.purpose,
        action="api query",
    )
    return JsonResponse(
        {
            "query": {
                "table": q.table,
                "group_by": list(q.group_by),
                "filters": {d: list(v) for d, v in q.filters},
            },
            "purpose": token.purpose,
            "disclosure_policy": answer.policy,
            "cells": answer.rows(),
        }
    )


def _summary(
    request: HttpRequest,
    token: ApiToken,
    *,
    param: str,
    default: str,
    choices: Sequence[str],
    tables: tuple[str, ...],
    label: str,
    summarise: Callable[..., pd.DataFrame],
    key: str,
    rows_key: str,
) -> JsonResponse:
    """One governed, disclosure-controlled summary of the per-person table for a year.

    Both summaries (segments, costs) check their parameters, ask governance for the
    purpose's tables, protect the counts with the purpose's policy and log the answer.
    """
    unknown = set(request.GET) - {param, "year"}
    if unknown:
        return _error(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    choice = request.GET.get(param, default)
    if choice not in choices:
        return _error(400, f"{param} must be one of {', '.join(choices)}")
    store = services.get_store()
    if store is None:
        return _error(503, "No store has been built yet.")
    year = _year_param(request, store.years())
    if isinstance(year, JsonResponse):
        return year
    gov = services.governance()
    purpose = gov.authorise(
        user=token.user.username,
        role=_role(token),
        purpose_key=token.purpose,
        tables=tables,
        what=f"api {label} {choice} {year}",
    )
    table = dashboards.segments_table(store, year, services.cache_dir())
    summary = summarise(store, table, choice, policy_named(purpose.disclosure_policy))
    rows = [
        {
            key: str(r[key]),
            "people": r["people"],
            "cost": r["cost"],
            "cost_per_person": r["cost_per_person"],
            "share_of_cost": r["share_of_cost"],
        }
        for r in summary.astype(object).where(summary.notna(), None).to_dict("records")
    ]
    gov.log(
        token.user.username,
        _role(token),
        token.purpose,
        "api query",
        f"{label} {choice} {year}",
        len(rows),
    )
    return JsonResponse(
        {
            param: choice,
            "year": year,
            "disclosure_policy": purpose.disclosure_policy,
            rows_key: rows,
        }
    )


@token_required
def segments(request: HttpRequest, token: ApiToken) -> JsonResponse:
    """People and year-of-care cost by segment under one segmentation scheme."""
    return _summary(
        request,
        token,
        param="scheme",
        default="yoc_band",
        choices=list(dashboards.SCHEMES),
        tables=("person", "activity", "condition"),
        label="segments",
        summarise=dashboards.segment_summary,
        key="segment",
        rows_key="segments",
    )


def _year_param(request: HttpRequest, years: list[int]) -> int | JsonResponse:
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        return _error(400, "year must be a whole number")
    if year not in years:
        return _error(400, f"year must be one of {', '.join(map(str, years))}")
    return year


@token_required
def costs(request: HttpRequest, token: ApiToken) -> JsonResponse:
    """Year-of-care cost per registered person by setting, locality, practice or LSOA."""
    return _summary(
        request,
        token,
        param="by",
        default="setting",
        choices=list(dashboards.COST_GROUPINGS),
        tables=("person", "activity"),
        label="costs",
        summarise=dashboards.cost_summary,
        key="group",
        rows_key="groups",
    )


@login_not_required
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(API_PREFIX))
