"""Access table of the data area. The JSON API's paths are unnamed (token auth, not pages):
tests/web/data/test_api.py covers them against their OpenAPI document."""

from tests.web.access.common import AD, AN, DC, PO, WL, AccessTable

READERS = {AN, DC, PO, WL, AD}
EDITORS = {AN, DC, AD}

EXPECTED: AccessTable = {
    "data:index": ({}, READERS),
    "data:population": ({}, READERS),
    "data:segments": ({}, READERS),
    "data:costs": ({}, READERS),
    "data:trends": ({}, READERS),
    "data:practices": ({}, READERS),
    "data:projection": ({}, READERS),
    "data:tiers": ({}, READERS),
    "data:inequalities": ({}, READERS),
    "data:risk": ({}, READERS),
    "data:demand": ({}, READERS),
    "data:capitation": ({}, READERS),
    "data:linkage_quality": ({}, {DC}),
    "data:workstream": ({"slug": "hospital-care"}, READERS),
    "data:purposes": ({}, READERS),
    "data:audit": ({}, {DC, AD}),
    "data:query": ({}, EDITORS),
    "data:tokens": ({}, EDITORS),
}


def setup() -> None:
    """The sample URLs name only foundation objects (the hospital-care workstream)."""
