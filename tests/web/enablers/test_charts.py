"""The enablers' chart pages render for a board member with each chart's container, its
text alternative and the table of its figures beside it; the chart's data is the page's."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.web.accounts.roles import Role


def _charts(page: str) -> dict[str, tuple[dict[str, Any], str]]:
    """Every chart container on the page: id -> (spec, aria-label)."""
    found = re.findall(
        r'<div id="([^"]+)" class="stpkit-chart" role="img" aria-label="([^"]*)" '
        r'data-vega-spec="([^"]*)"',
        page,
    )
    return {i: (json.loads(html.unescape(spec)), html.unescape(label)) for i, label, spec in found}


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        v for layer in spec.get("layer", [spec]) for v in layer.get("data", {}).get("values", [])
    ]


@pytest.mark.parametrize(
    ("name", "query", "chart_id", "table_caption"),
    [
        ("enablers:projection", {}, "enablers-projection-1", "Supply, demand and gap"),
        ("enablers:capital", {}, "enablers-capital", "Planned capital against the envelope"),
        ("enablers:portfolio", {"table": "curve"}, "enablers-curve", "Best value as the money"),
        ("enablers:estates", {}, "enablers-unused-space", "Estate by organisation"),
    ],
)
def test_chart_page_renders_the_chart_beside_its_table(
    name: str,
    query: dict[str, str],
    chart_id: str,
    table_caption: str,
    enablers_demo: None,
    client_for: Callable[[Role], Client],
) -> None:
    response = client_for(Role.BOARD_MEMBER).get(reverse(name), query)
    assert response.status_code == 200
    page = response.content.decode()
    charts = _charts(page)
    assert chart_id in charts
    spec, label = charts[chart_id]
    assert _values(spec) or spec.get("data", {}).get("values")
    assert len(label) > 40  # a sentence saying what the chart shows
    assert f'<caption class="nhsuk-table__caption">{table_caption}' in page


def test_projection_has_one_fan_per_staff_group(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    page = client_for(Role.BOARD_MEMBER).get(reverse("enablers:projection")).content.decode()
    fans = {i: c for i, c in _charts(page).items() if i.startswith("enablers-projection-")}
    titles = {spec["title"] for spec, _ in fans.values()}
    assert titles == set(eng.STAFF_GROUPS.values())
    spec, label = next(iter(fans.values()))
    medians = [v for v in spec["data"]["values"] if v["measure"] == "Supply"]
    assert medians and all(v["p10"] <= v["p50"] <= v["p90"] for v in medians)
    assert spec["title"] in label


def test_capital_chart_totals_match_the_plan_by_year(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    page = client_for(Role.BOARD_MEMBER).get(reverse("enablers:capital")).content.decode()
    spec, _ = _charts(page)["enablers-capital"]
    position = eng.plan_against_envelope(*_plan())
    bars, line, _label = spec["layer"]
    for p in position:
        planned = sum(v["amount"] for v in bars["data"]["values"] if v["year"] == p.year)
        assert planned == pytest.approx(p.planned, abs=len(eng.FUNDING_SOURCES))
    assert [v["envelope"] for v in line["data"]["values"]] == [round(p.envelope) for p in position]


def _plan() -> tuple[Any, Any]:
    from stpkit.web.enablers import services

    return services.schemes(), services.envelope()
