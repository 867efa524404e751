"""The JSON API's population health answers: inequalities, risk tiers, demand, capitation.

Same rules as `api`: a bearer token for one user and one purpose, the purpose authorised
for the tables the answer reads, its disclosure policy on every count, every answer logged.
The figures are the pages' (`stpkit.kid.governed`), so a BI tool and the web app agree.
Each answer is a function of an authorised question (`Asked`); `population_answer` does
the rest for all four in one place. `openapi_paths` documents them for the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
TABLES = ("person", "activity", "condition")


@dataclass(frozen=True)
class Asked:
    """One authorised question: the store, the purpose's policy, the choice and the year."""

    store: InsightStore
    policy: DisclosurePolicy
    choice: str
    year: int | None


Answer = tuple[dict[str, Any], int]  # the JSON body, and the rows it holds (for the log)


def population_answer(
    name: str, param: str, default: str, choices: Any, *, with_year: bool = False
) -> Callable[[Callable[[Asked], Answer]], Callable[[HttpRequest], JsonResponse]]:
    """One way for every population health answer: check the parameters (`param` among
    `choices`, `year` when `with_year`, nothing else), open the store, authorise the token's
    purpose for the tables, hand the answer `Asked`, log what it returned, answer JSON.
    A store that cannot answer (`KidError`, e.g. too few months for the risk model) is 422.
    """
    allowed = {param, "year"} if with_year else {param}

    def decorator(answer: Callable[[Asked], Answer]) -> Callable[[HttpRequest], JsonResponse]:
        @token_required
        def view(request: HttpRequest, token: ApiToken) -> JsonResponse:
            choice = request.GET.get(param, default)
            if choice not in choices:
                return _error(400, f"{param} must be one of {', '.join(choices)}")
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
                tables=TABLES,
                what=f"api {name} {choice}",
            )
            year: int | None = None
            if with_year:
                asked_year = _year_param(request, store.years())
                if isinstance(asked_year, JsonResponse):
                    return asked_year
                year = asked_year
            policy = policy_named(purpose.disclosure_policy)
            try:
                body, rows = answer(Asked(store, policy, choice, year))
            except KidError as exc:
                return _error(422, str(exc))
            what = f"{name} {choice}" + (f" {year}" if with_year else "")
            services.governance().log(
                token.user.username, _role(token), token.purpose, "api query", what, rows
            )
            return JsonResponse(body)

        view.__name__ = answer.__name__
        view.__doc__ = answer.__doc__
        return view

    return decorator


@population_answer("inequalities", "population", "all", POPULATIONS, with_year=True)
def inequalities(asked: Asked) -> Answer:
    """Measures by IMD quintile, with the gap and slope index of inequality per measure."""
    assert asked.year is not None
    result = published_inequalities(
        asked.store, asked.year, services.cache_dir(), asked.policy, asked.choice
    )
    body = {
        "population": asked.choice,
        "year": asked.year,
        "disclosure_policy": asked.policy.name,
        "quintiles": result.rows,
        "gaps": result.gaps,
    }
    return body, len(result.rows)


@population_answer("risk", "by", "locality", RISK_GROUPINGS)
def risk(asked: Asked) -> Answer:
    """Risk tiers by locality or practice, with the model's AUC and calibration."""
    pub = published_risk(asked.store, asked.policy, asked.choice, services.cache_dir())
    body = {
        "by": asked.choice,
        "disclosure_policy": asked.policy.name,
        "auc": pub.auc,
        "brier": pub.brier,
        "calibration": pub.calibration,
        "tiers": pub.tiers,
    }
    return body, len(pub.tiers)


@population_answer("demand", "view", "setting", DEMAND_VIEWS)
def demand(asked: Asked) -> Answer:
    """The Monte Carlo projection (default assumptions), percentiles by setting, locality or
    condition."""
    a = DemandAssumptions()
    pub = demand_monte_carlo(asked.store, a, services.cache_dir(), partnership_scale(asked.store))
    frame = {"setting": pub.by_setting, "locality": pub.by_locality, "condition": pub.by_condition}[
        asked.choice
    ]
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    body = {
        "view": asked.choice,
        "base_year": pub.result.base_year,
        "assumptions": [{"assumption": k, "value": v} for k, v in a.describe()],
        "rows": [{str(k): v for k, v in r.items()} for r in rows],
    }
    return body, len(rows)


@population_answer("capitation", "footprint", "accountable_care", CAPITATION_TIERS, with_year=True)
def capitation(asked: Asked) -> Answer:
    """Needs-weighted budgets beside actual spend per accountable care footprint or hub."""
    assert asked.year is not None
    pub = published_capitation(
        asked.store,
        asked.year,
        services.cache_dir(),
        asked.policy,
        asked.choice,
        partnership_scale(asked.store),
    )
    body = {
        "footprint": asked.choice,
        "year": asked.year,
        "disclosure_policy": asked.policy.name,
        "groups": pub.rows,
    }
    return body, len(pub.rows)


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
