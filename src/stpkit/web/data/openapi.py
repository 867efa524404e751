"""The data API's OpenAPI 3.1 document: what `api` answers, for BI tools and the tests.

tests/web/data/test_api.py runs schemathesis against it, so every answer of `api` must
conform; the enums come from the same constants the views check parameters against.
"""

from __future__ import annotations

from typing import Any

from stpkit.kid.governed import DIMENSIONS, MAX_GROUPS, SETTINGS, dashboards


def openapi_document(prefix: str) -> dict[str, Any]:
    """The document, with `prefix` (the API's root path) as its server."""
    error = {"$ref": "#/components/schemas/Error"}
    nullable_int = {"type": ["integer", "null"]}
    nullable_num = {"type": ["number", "null"]}
    dims = "|".join(DIMENSIONS)

    def responses(ok: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "200": {
                "description": "The protected aggregates",
                "content": {"application/json": {"schema": ok}},
            }
        }
        for code, text in (
            ("400", "A malformed parameter"),
            ("401", "Missing, unknown or revoked token"),
            ("403", "Outside the token's purpose"),
            ("503", "No store built"),
        ):
            out[code] = {"description": text, "content": {"application/json": {"schema": error}}}
        return out

    from stpkit.web.data.api_population import openapi_paths

    population_paths, population_schemas = openapi_paths(responses)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "stpkit integrated dataset API",
            "version": "1.0.0",
            "description": (
                "Read-only aggregates of the integrated dataset under an approved purpose. "
                "Counts of people pass the purpose's disclosure policy (OpenSAFELY by default) "
                "and a differencing check; every request is logged."
            ),
        },
        "servers": [{"url": prefix}],
        "security": [{"bearer": []}],
        "paths": {
            "/aggregate": {
                "get": {
                    "operationId": "aggregate",
                    "summary": (
                        "Counts of people (and activity and cost) grouped by up to three dimensions"
                    ),
                    "parameters": [
                        {
                            "name": "table",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "enum": ["person", "activity"]},
                        },
                        {
                            "name": "group_by",
                            "in": "query",
                            "required": False,
                            "description": f"Comma-separated dimensions, at most {MAX_GROUPS}, "
                            "each once; setting, year, provider and emergency apply to the "
                            "activity table only; empty means no grouping (one total)",
                            "schema": {
                                "type": "string",
                                "pattern": f"^(({dims})(,({dims})){{0,{MAX_GROUPS - 1}}})?$",
                            },
                        },
                        {
                            "name": "filter",
                            "in": "query",
                            "required": False,
                            "description": "dimension:value1|value2, repeatable",
                            "schema": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "pattern": f"^({dims}):[^|]+(\\|[^|]+)*$",
                                },
                            },
                            "style": "form",
                            "explode": True,
                        },
                    ],
                    "responses": responses({"$ref": "#/components/schemas/Aggregate"}),
                }
            },
            "/segments": {
                "get": {
                    "operationId": "segments",
                    "summary": "People and year-of-care cost by segment",
                    "parameters": [
                        {
                            "name": "scheme",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": list(dashboards.SCHEMES)},
                        },
                        {
                            "name": "year",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": responses({"$ref": "#/components/schemas/Segments"}),
                }
            },
            "/costs": {
                "get": {
                    "operationId": "costs",
                    "summary": (
                        "Year-of-care cost per registered person by setting, locality, "
                        "practice or LSOA"
                    ),
                    "parameters": [
                        {
                            "name": "by",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": list(dashboards.COST_GROUPINGS)},
                        },
                        {
                            "name": "year",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": responses({"$ref": "#/components/schemas/Costs"}),
                }
            },
            **population_paths,
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Aggregate": {
                    "type": "object",
                    "required": ["query", "purpose", "disclosure_policy", "cells"],
                    "properties": {
                        "query": {"type": "object"},
                        "purpose": {"type": "string"},
                        "disclosure_policy": {"type": "string"},
                        "cells": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["people", "suppressed"],
                                "properties": {
                                    "people": nullable_int,
                                    "suppressed": {"type": "boolean"},
                                    "activity": nullable_int,
                                    "cost": nullable_num,
                                    **{d: {"type": "string"} for d in DIMENSIONS},
                                },
                            },
                        },
                    },
                },
                "Costs": {
                    "type": "object",
                    "required": ["by", "year", "groups"],
                    "properties": {
                        "by": {"type": "string"},
                        "year": {"type": "integer"},
                        "disclosure_policy": {"type": "string"},
                        "groups": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["group", "people", "cost"],
                                "properties": {
                                    "group": {"type": "string"},
                                    "people": nullable_int,
                                    "cost": nullable_num,
                                    "cost_per_person": nullable_num,
                                    "share_of_cost": nullable_num,
                                },
                            },
                        },
                    },
                },
                **population_schemas,
                "Segments": {
                    "type": "object",
                    "required": ["scheme", "year", "segments"],
                    "properties": {
                        "scheme": {"type": "string"},
                        "year": {"type": "integer"},
                        "disclosure_policy": {"type": "string"},
                        "segments": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "segment": {"type": "string"},
                                    "people": nullable_int,
                                    "cost": nullable_num,
                                    "cost_per_person": nullable_num,
                                    "share_of_cost": nullable_num,
                                },
                            },
                        },
                    },
                },
            },
        },
        "x-settings": dict(SETTINGS),
    }
