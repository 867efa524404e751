"""LSOA maps are wound for d3-geo: every outer ring clockwise, every hole anticlockwise.

Swale 008C's boundary has one anticlockwise part in the reference data; d3-geo read it as
the whole globe minus the LSOA, so the map was fitted to the world and drew as one rectangle.
"""

from __future__ import annotations

import itertools

import pandas as pd

from stpkit.charts.data import SUPPRESSED_GREY, lsoa_map, tiers_map
from stpkit.charts.geo import d3_geometry
from stpkit.reference import get_reference

SWALE_008C = "E01024572"


def _signed_area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def test_the_reference_data_hold_an_anticlockwise_ring_that_the_map_rewinds() -> None:
    raw = get_reference().boundaries([SWALE_008C])["features"][0]["geometry"]
    assert any(_signed_area(p[0]) > 0 for p in _polygons(raw))  # the case this guards
    wound = d3_geometry(raw)
    assert wound is not None
    assert all(_signed_area(p[0]) < 0 for p in _polygons(wound))


def test_every_kent_and_medway_lsoa_on_the_map_has_clockwise_outer_rings() -> None:
    codes = list(get_reference().lsoas("Kent and Medway").lsoa_code)
    assert SWALE_008C in codes
    frame = pd.DataFrame({"lsoa_code": codes, "people": [None] * len(codes)})
    features = lsoa_map(frame, "people", "People")["data"]["values"]
    assert len(features) > 1_000
    for feature in features:
        for polygon in _polygons(feature["geometry"]):
            assert _signed_area(polygon[0]) < 0, feature["properties"]["lsoa_code"]
            assert all(_signed_area(hole) > 0 for hole in polygon[1:])


def test_suppressed_lsoas_stay_on_the_map_in_grey() -> None:
    frame = pd.DataFrame({"lsoa_code": [SWALE_008C, "E01024573"], "people": [None, 40.0]})
    spec = lsoa_map(frame, "people", "People")
    fills = [layer["mark"].get("fill") for layer in spec["layer"]]
    assert fills[0] == SUPPRESSED_GREY
    assert spec["layer"][1]["encoding"]["color"]["field"] == "properties.people"
    assert len(spec["data"]["values"]) == 2


def test_the_tiers_map_is_wound_for_d3_too() -> None:
    frame = pd.DataFrame({"lsoa_code": [SWALE_008C], "group": ["A"]})
    (feature,) = tiers_map(frame, "group", "Group")["data"]["values"]
    assert all(_signed_area(p[0]) < 0 for p in _polygons(feature["geometry"]))
