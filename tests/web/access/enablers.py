"""Access to the enabling workstreams' pages (part of the programme area): everyone but the
data controller reads; the programme office and administrators edit the workbook, plans
and portfolio and load returns; a workstream lead may raise a request (the page opens for
them) but edits nothing else."""

from __future__ import annotations

from datetime import date

from tests.web.access.common import AD, NOT_DC, PO, WL, AccessTable

PK = 900001
ONE = {"pk": str(PK)}
OFFICE = {PO, AD}
EDITORS = {PO, WL, AD}

EXPECTED: AccessTable = {
    "enablers:index": ({}, NOT_DC),
    "enablers:estates": ({}, NOT_DC),
    "enablers:sites": ({}, NOT_DC),
    "enablers:site_new": ({}, OFFICE),
    "enablers:site_edit": (ONE, OFFICE),
    "enablers:buildings": ({}, NOT_DC),
    "enablers:building_edit": (ONE, OFFICE),
    "enablers:space": ({}, NOT_DC),
    "enablers:disposals": ({}, NOT_DC),
    "enablers:workforce": ({}, NOT_DC),
    "enablers:agency": ({}, NOT_DC),
    "enablers:projection": ({}, NOT_DC),
    "enablers:assumption_edit": ({"group": "nursing"}, OFFICE),
    "enablers:service_change_new": ({}, OFFICE),
    "enablers:capital": ({}, NOT_DC),
    "enablers:scheme_new": ({}, OFFICE),
    "enablers:scheme_edit": (ONE, OFFICE),
    "enablers:envelope_edit": ({"year": "2018-19"}, OFFICE),
    "enablers:portfolio": ({}, NOT_DC),
    "enablers:initiative_new": ({}, OFFICE),
    "enablers:initiative": (ONE, NOT_DC),
    "enablers:initiative_edit": (ONE, OFFICE),
    "enablers:limit_new": ({}, OFFICE),
    "enablers:requests": ({}, NOT_DC),
    "enablers:request_new": ({}, EDITORS),
    "enablers:request": (ONE, NOT_DC),
    "enablers:returns": ({}, OFFICE),
    "enablers:template": ({"kind": "workforce_staff"}, NOT_DC),
}


def setup() -> None:
    """A building, a scheme, an initiative and a request under fixed keys."""
    from stpkit.web.enablers.models import (
        Building,
        CapitalScheme,
        Initiative,
        Organisation,
        Site,
        WorkstreamRequest,
    )
    from stpkit.web.programme.models import Workstream

    org, _ = Organisation.objects.get_or_create(
        code="RPA", defaults={"name": "Medway NHS Foundation Trust", "kind": "acute"}
    )
    site, _ = Site.objects.get_or_create(
        code="RPA01",
        defaults={"pk": PK, "name": "Medway Maritime Hospital", "organisation": org},
    )
    Building.objects.get_or_create(
        pk=PK,
        defaults={
            "year": 2017,
            "site": site,
            "code": "RPA01-B1",
            "name": "Main block",
            "use": "acute",
            "tenure": "freehold",
            "owner": org.name,
            "floor_area_m2": 1000,
            "condition": "B",
            "running_cost_per_m2": 300,
            "utilisation_pct": 90,
        },
    )
    CapitalScheme.objects.get_or_create(
        pk=PK, defaults={"code": "CAP99", "name": "Stroke unit", "funding_source": "national"}
    )
    hospital = Workstream.objects.get(slug="hospital-care")
    Initiative.objects.get_or_create(
        pk=PK,
        defaults={"code": "I999", "name": "Stroke network", "workstream": hospital, "value": 10},
    )
    WorkstreamRequest.objects.get_or_create(
        pk=PK,
        defaults={
            "from_workstream": hospital,
            "to_workstream": Workstream.objects.get(slug="estates"),
            "title": "Site surveys",
            "needed_by": date(2018, 1, 1),
        },
    )
