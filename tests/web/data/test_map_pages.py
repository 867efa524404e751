"""Every LSOA map on the data and workstream pages names the ICB's one polygon file and
carries only each LSOA's figures: the population page built and sent about 0.7 MB of
polygons on every view, which was most of its time."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from typing import Any

from django.test import Client
from django.urls import reverse
from tests.web.data.test_data_pages import approved, data_dir, sample_dir  # noqa: F401

from stpkit.kid.governed import Governance
from stpkit.web.accounts.roles import Role

POLYGONS = "/maps/lsoas/E54000032.geojson"
SPEC = re.compile(r'data-vega-spec="([^"]*)"')
MAP_PAGES = [
    ("data:population", {}),
    ("data:tiers", {}),
    ("data:tiers", {"tier": "extended_practice"}),
    ("data:costs", {"by": "lsoa_code"}),
]


def _specs(html: str) -> list[dict[str, Any]]:
    return [json.loads(unescape(a)) for a in SPEC.findall(html)]


def test_data_maps_fetch_the_shared_polygon_file(
    approved: Governance,  # noqa: F811
    client_for: Callable[[Role], Client],
) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    pages = [(name, client.get(reverse(name), query)) for name, query in MAP_PAGES]
    pages.append(("hospital care", client.get(reverse("data:workstream", args=["hospital-care"]))))
    for name, response in pages:
        html = response.content.decode()
        assert response.status_code == 200, name
        assert html.count(POLYGONS) == 1, name
        assert "coordinates" not in html and "MultiPolygon" not in html, name
        (spec,) = [s for s in _specs(html) if s.get("projection")]
        assert spec["data"]["url"] == POLYGONS, name
        assert len(json.dumps(spec)) < 60_000, name  # the figures of about 1,000 LSOAs
    polygons = client.get(POLYGONS)
    assert polygons.status_code == 200 and polygons["Content-Type"] == "application/geo+json"
    assert len(polygons.json()["features"]) == 1065


def test_an_unknown_icb_has_no_polygon_file(client_for: Callable[[Role], Client]) -> None:
    response = client_for(Role.WORKSTREAM_LEAD).get("/maps/lsoas/E54999999.geojson")
    assert response.status_code == 404
