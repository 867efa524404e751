"""The JSON API's population health answers: inequalities, risk tiers, demand, capitation.

Same rules as `api`: a bearer token for one user and one purpose, the purpose authorised
for the tables the answer reads, its disclosure policy on every count, every answer logged.
The figures are the pages' (`stpkit.kid.governed`), so a BI tool and the web app agree.
`openapi_paths` documents them for the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from stpkit.disclosure import DisclosurePolicy, policy_named
from stpkit.kid import KidError
from stpkit.kid.analyses import DemandAssumptions
from stpkit.kid.governed import (
    CAPITATION_TIERS,
    POPULATIONS,
    RISK_GROUPINGS,
    InsightStore,
    demand_monte_carlo,
    published_risk,
)
from stpkit.kid.governed import capitation as published_capitation
from stpkit.kid.governed import inequalities as published_inequalities
from stpkit.web.data import services
from stpkit.web.data.api import _error, _role, _year_param, token_required
from stpkit.web.data.models import ApiToken
from stpkit.web.data.views.common import partnership_scale

DEMAND_VIEWS = ("setting", "locality", "condition")


def _open(
    request: HttpRequest,
    token: ApiToken,
    allowed: set[str],
    tables: tuple[str, ...],
    what: str,
) -> tuple[InsightStore, DisclosurePolicy] | JsonResponse:
    unknown = set(request.GET) - allowed
    if unknown:
        return _error(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    store = services.get_store()
    if store is None:
        return _error(503, "No store has been built yet.")
    purpose = services.governance().authorise(
        user=token.user.username,
        role=_role(token),
        purpose_key=token.purpose,
        tables=tables,
        what=f"api {what}",
    )
    return store, policy_named(purpose.disclosure_policy)


def _choice(request: HttpRequest, name: str, default: str, choices: Any) -> str | JsonResponse:
    value = request.GET.get(name, default)
    if value not in choices:
        return _error(400, f"{name} must be one of {', '.join(choices)}")
    return value


def _log(token: ApiToken, what: str, rows: int) -> None:
    services.governance().log(
        token.user.username, _role(token), token.purpose, "api query", what, rows
    )


@token_required
def inequalities(request: HttpRequest, token: ApiToken) -> JsonResponse:
    """Measures by IMD quintile, with the gap and slope index of inequality per measure."""
    who = _choice(request, "population", "all", POPULATIONS)
    if isinstance(who, JsonResponse):
        return who
    opened = _open(
        request, token, {"population", "year"}, ("person", "activity", "condition"),
        f"inequalities {who}",
    )  # fmt: skip
    if isinstance(opened, JsonResponse):
        return opened
    store, policy = opened
    year = _year_param(request, store.years())
    if isinstance(year, JsonResponse):
        return year
    result = published_inequalities(store, year, services.cache_dir(), policy, who)
    _log(token, f"inequalities {who} {year}", len(result.rows))
    return JsonResponse(
        {
            "population": who,
            "year": year,
            "disclosure_policy": policy.name,
            "quintiles": result.rows,
            "gaps": result.gaps,
        }
    )


@token_required
def risk(request: HttpRequest, token: ApiToken) -> JsonResponse:
    """Risk tiers by locality or practice, with the model's AUC and calibration."""
    by = _choice(request, "by", "locality", RISK_GROUPINGS)
    if isinstance(by, JsonResponse):
        return by
    opened = _open(request, token, {"by"}, ("person", "activity", "condition"), f"risk {by}")
    if isinstance(opened, JsonResponse):
        return opened
    store, policy = opened
    try:
        pub = published_risk(store, policy, by)
    except KidError as exc:
        return _error(422, str(exc))
    _log(token, f"risk {by}", len(pub.tiers))
    return JsonResponse(
        {
            "by": by,
            "disclosure_policy": policy.name,
            "auc": pub.auc,
            "brier": pub.brier,
            "calibration": pub.calibration,
            "tiers": pub.tiers,
        }
    )


@token_required
def demand(request: HttpRequest, token: ApiToken) -> JsonResponse:
    """The Monte Carlo projection (default assumptions), percentiles by setting, locality or
    condition."""
    view = _choice(request, "view", "setting", DEMAND_VIEWS)
    if isinstance(view, JsonResponse):
        return view
    opened = _open(request, token, {"view"}, ("person", "activity", "condition"), f"demand {view}")
    if isinstance(opened, JsonResponse):
        return opened
    store, _policy = opened
    a = DemandAssumptions()
    pub = demand_monte_carlo(store, a, services.cache_dir(), partnership_scale(store))
    frame = {"setting": pub.by_setting, "locality": pub.by_locality, "condition": pub.by_condition}[
        view
    ]
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    _log(token, f"demand {view}", len(rows))
    return JsonResponse(
        {
            "view": view,
            "base_year": pub.result.base_year,
            "assumptions": [{"assumption": k, "value": v} for k, v in a.describe()],
            "rows": [{str(k): v for k, v in r.items()} for r in rows],
        }
    )


@token_required
def capitation(request: HttpRequest, token: ApiToken) -> JsonResponse:
    """Needs-weighted budgets beside actual spend per accountable care footprint or hub."""
    tier = _choice(request, "footprint", "accountable_care", CAPITATION_TIERS)
    if isinstance(tier, JsonResponse):
        return tier
    opened = _open(
        request, token, {"footprint", "year"}, ("person", "activity", "condition"),
        f"capitation {tier}",
    )  # fmt: skip
    if isinstance(opened, JsonResponse):
        return opened
    store, policy = opened
    year = _year_param(request, store.years())
    if isinstance(year, JsonResponse):
        return year
    pub = published_capitation(
        store, year, services.cache_dir(), policy, tier, partnership_scale(store)
    )
    _log(token, f"capitation {tier} {year}", len(pub.rows))
    return JsonResponse(
        {"footprint": tier, "year": year, "disclosure_policy": policy.name, "groups": pub.rows}
    )


def openapi_paths(responses: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(paths, schemas) of these answers for the OpenAPI document; `responses(schema)` is
    the document's standard set of responses around a 200 schema."""
    num = {"type": ["number", "null"]}
    integer = {"type": ["integer", "null"]}
    obj = {"type": "object"}

    def param(name: str, choices: Any) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(choices)},
        }

    year = {"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}

    def op(op_id: str, summary: str, params: list[dict[str, Any]], schema: str) -> Any:
        out = responses({"$ref": f"#/components/schemas/{schema}"})
        out["422"] = {
            "description": "The store cannot answer this (too few months of activity)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        return {"get": {"operationId": op_id, "summary": summary, "parameters": params,
                        "responses": out}}  # fmt: skip

    paths = {
        "/inequalities": op(
            "inequalities",
            "Measures by IMD quintile with the gap and slope index of inequality",
            [param("population", POPULATIONS), year],
            "Inequalities",
        ),
        "/risk": op(
            "risk",
            "Risk tiers of emergency admission by locality or practice",
            [param("by", RISK_GROUPINGS)],
            "Risk",
        ),
        "/demand": op(
            "demand",
            "Monte Carlo demand and capacity, 10th/50th/90th percentiles",
            [param("view", DEMAND_VIEWS)],
            "Demand",
        ),
        "/capitation": op(
            "capitation",
            "Needs-weighted budgets beside actual spend per footprint",
            [param("footprint", CAPITATION_TIERS), year],
            "Capitation",
        ),
    }
    schemas = {
        "Inequalities": {
            "type": "object",
            "required": ["population", "year", "quintiles", "gaps"],
            "properties": {
                "population": {"type": "string"},
                "year": {"type": "integer"},
                "disclosure_policy": {"type": "string"},
                "quintiles": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["quintile", "people"],
                        "properties": {"quintile": {"type": "string"}, "people": integer},
                    },
                },
                "gaps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["measure", "most", "least", "gap", "sii"],
                        "properties": {
                            "measure": {"type": "string"},
                            "most": num,
                            "least": num,
                            "gap": num,
                            "sii": num,
                            "rii": num,
                        },
                    },
                },
            },
        },
        "Risk": {
            "type": "object",
            "required": ["by", "auc", "tiers"],
            "properties": {
                "by": {"type": "string"},
                "disclosure_policy": {"type": "string"},
                "auc": {"type": "number"},
                "brier": {"type": "number"},
                "calibration": {"type": "array", "items": obj},
                "tiers": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["group", "people"],
                        "properties": {
                            "group": {"type": "string"},
                            "people": integer,
                            "very_high": integer,
                            "high": integer,
                            "moderate": integer,
                            "low": integer,
                            "expected_admissions": integer,
                        },
                    },
                },
            },
        },
        "Demand": {
            "type": "object",
            "required": ["view", "base_year", "assumptions", "rows"],
            "properties": {
                "view": {"type": "string"},
                "base_year": {"type": "integer"},
                "assumptions": {"type": "array", "items": obj},
                "rows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["measure", "p10", "p50", "p90"],
                        "properties": {
                            "measure": {"type": "string"},
                            "p10": {"type": "integer"},
                            "p50": {"type": "integer"},
                            "p90": {"type": "integer"},
                        },
                    },
                },
            },
        },
        "Capitation": {
            "type": "object",
            "required": ["footprint", "year", "groups"],
            "properties": {
                "footprint": {"type": "string"},
                "year": {"type": "integer"},
                "disclosure_policy": {"type": "string"},
                "groups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["group", "people", "budget", "actual"],
                        "properties": {
                            "group": {"type": "string"},
                            "people": integer,
                            "need_index": num,
                            "actual": num,
                            "budget": num,
                            "difference": num,
                            "difference_pct": num,
                        },
                    },
                },
            },
        },
    }
    return paths, schemas
