"""Access to the productivity pages: everyone but the data controller reads; the
programme office, analysts and administrators import and edit."""

from tests.web.access.common import AD, AN, NOT_DC, PO, AccessTable

EDIT = {PO, AN, AD}

EXPECTED: AccessTable = {
    "productivity:index": ({}, NOT_DC),
    "productivity:opportunity": ({}, NOT_DC),
    "productivity:metric": ({"code": "los_emergency_75plus"}, NOT_DC),
    "productivity:bridge": ({}, NOT_DC),
    "productivity:board_summary": ({}, NOT_DC),
    "productivity:working_group": ({"slug": "pathology"}, NOT_DC),
    "productivity:working_group_edit": ({"slug": "pathology"}, EDIT),
    "productivity:scheme_edit": (
        {"slug": "pathology", "scheme": "repatriation-of-send-away-tests"},
        EDIT,
    ),
    "productivity:import_benchmarks": ({}, EDIT),
    "productivity:import_savings": ({}, EDIT),
    "productivity:import_bridge": ({}, EDIT),
}


def setup() -> None:
    """The demo working groups, schemes and benchmarks the sample URLs name."""
    from stpkit.demo.productivity import load

    load()
