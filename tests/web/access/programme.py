"""Access to the programme pages: everyone but the data controller reads; the programme
office and administrators edit everything; a workstream lead edits only their own
workstream (the matrix's lead user leads none, so item edit pages refuse them)."""

from __future__ import annotations

from datetime import date

from tests.web.access.common import AD, NOT_DC, PO, WL, AccessTable

# Fixed primary keys keep the sample URLs stable on SQLite and PostgreSQL.
MILESTONE_PK, OTHER_PK, DEPENDENCY_PK, RISK_PK = 900001, 900002, 900001, 900001
OBJECTIVE_PK = 900001
OBJECTIVE = {"slug": "hospital-care", "pk": str(OBJECTIVE_PK)}
EDITORS = {PO, WL, AD}
OFFICE = {PO, AD}

EXPECTED: AccessTable = {
    "programme:index": ({}, NOT_DC),
    "programme:workstream": ({"slug": "prevention"}, NOT_DC),
    "programme:workstream_new": ({}, OFFICE),
    "programme:workstream_edit": ({"slug": "hospital-care"}, OFFICE),
    "programme:objective_new": ({"slug": "hospital-care"}, OFFICE),
    "programme:objective_edit": (OBJECTIVE, OFFICE),
    "programme:objective_remove": (OBJECTIVE, OFFICE),
    "programme:milestone_new": ({"slug": "hospital-care"}, OFFICE),
    "programme:milestones": ({}, NOT_DC),
    "programme:milestone": ({"pk": str(MILESTONE_PK)}, NOT_DC),
    "programme:milestone_edit": ({"pk": str(MILESTONE_PK)}, OFFICE),
    "programme:dependency_new": ({"pk": str(MILESTONE_PK)}, OFFICE),
    "programme:dependencies": ({}, NOT_DC),
    "programme:dependency_remove": ({"pk": str(DEPENDENCY_PK)}, OFFICE),
    "programme:timeline": ({}, NOT_DC),
    "programme:risks": ({}, NOT_DC),
    "programme:risk_new": ({}, EDITORS),
    "programme:risk_policy": ({}, OFFICE),
    "programme:risk": ({"pk": str(RISK_PK)}, NOT_DC),
    "programme:risk_edit": ({"pk": str(RISK_PK)}, OFFICE),
    "programme:import": ({}, EDITORS),
    "programme:import_template": ({"what": "milestones"}, NOT_DC),
}


def setup() -> None:
    """A milestone that waits for another, a risk and an objective, under fixed keys."""
    from stpkit.web.programme.models import Dependency, Milestone, Objective, Risk, Workstream

    hospital = Workstream.objects.get(slug="hospital-care")
    digital = Workstream.objects.get(slug="digital")
    first, _ = Milestone.objects.get_or_create(
        pk=MILESTONE_PK,
        defaults={
            "workstream": hospital,
            "title": "Stroke: launch public consultation",
            "baseline_date": date(2018, 2, 1),
            "forecast_date": date(2018, 3, 8),
        },
    )
    other, _ = Milestone.objects.get_or_create(
        pk=OTHER_PK,
        defaults={
            "workstream": digital,
            "title": "Shared care record",
            "baseline_date": date(2018, 1, 1),
            "forecast_date": date(2018, 4, 1),
        },
    )
    Dependency.objects.get_or_create(
        pk=DEPENDENCY_PK, defaults={"predecessor": other, "successor": first}
    )
    Risk.objects.get_or_create(
        pk=RISK_PK,
        defaults={
            "workstream": hospital,
            "title": "Capital availability",
            "likelihood": 4,
            "consequence": 5,
        },
    )
    Objective.objects.get_or_create(
        pk=OBJECTIVE_PK,
        defaults={
            "workstream": hospital,
            "text": "A 7-day, consultant-led stroke service",
            "gap": "care_quality",
        },
    )
