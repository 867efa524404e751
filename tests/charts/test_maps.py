"""LSOA maps are wound for d3-geo: every outer ring clockwise, every hole anticlockwise.

Swale 008C's boundary has one anticlockwise part in the reference data; d3-geo read it as
the whole globe minus the LSOA, so the map was fitted to the world and drew as one rectangle.
"""

from __future__ import annotations

import itertools
import json
import re

import pandas as pd
import vl_convert as vlc

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
    features = lsoa_map(frame, "people", "People")["datasets"]["lsoas"]
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
    assert spec["layer"][1]["encoding"]["color"]["field"] == "v"
    assert len(spec["datasets"]["lsoas"]) == 2
    # the withheld figure is an empty field, which Vega reads as null (grey, not zero)
    assert spec["datasets"]["figures"] == f"k,v\n{SWALE_008C},\nE01024573,40.0\n"


def test_the_tiers_map_is_wound_for_d3_too() -> None:
    frame = pd.DataFrame({"lsoa_code": [SWALE_008C], "group": ["A, north"]})
    spec = tiers_map(frame, "group", "Group")
    (feature,) = spec["datasets"]["lsoas"]
    assert all(_signed_area(p[0]) < 0 for p in _polygons(feature["geometry"]))
    assert spec["datasets"]["figures"] == f'k,v\n{SWALE_008C},"A, north"\n'


def test_a_page_map_names_the_shared_polygon_file_and_carries_only_figures() -> None:
    codes = list(get_reference().lsoas("Kent and Medway").lsoa_code)
    frame = pd.DataFrame({"lsoa_code": codes, "people": range(len(codes))})
    inline = lsoa_map(frame, "people", "People")
    linked = lsoa_map(frame, "people", "People", boundaries_url="/maps/b.geojson")
    assert linked["data"] == {
        "url": "/maps/b.geojson",
        "format": {"type": "json", "property": "features"},
    }
    assert "lsoas" not in linked["datasets"]
    assert linked["datasets"]["figures"] == inline["datasets"]["figures"]
    assert len(json.dumps(linked)) < 40_000 < 400_000 < len(json.dumps(inline))
    vlc.vegalite_to_vega(linked)  # a valid Vega-Lite spec (raises otherwise)
    # drawn offline from the inline polygons: one shape per LSOA, none a NaN path
    svg = vlc.vegalite_to_svg({**inline, "width": 400})
    assert "NaN" not in svg and svg.count("<path") > len(codes)
    # shaded by value: the figures arrive as CSV text and must be read as numbers
    assert len(set(re.findall(r'fill="(rgb\([^"]+\))"', svg))) > 50
