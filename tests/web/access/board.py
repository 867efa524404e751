"""Access to the board pages (reporting periods, updates, budgets, meetings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from stpkit.web.accounts.models import User
from stpkit.web.board.models import (
    Action,
    AgendaItem,
    BoardMeeting,
    BoardUpdateDraft,
    BudgetLine,
    Decision,
    Paper,
    ReportingPeriod,
    WorkstreamUpdate,
)
from stpkit.web.board.permissions import workstream_has_lead_field
from stpkit.web.programme.models import Workstream
from tests.web.access.common import AD, NOT_DC, PO, WL, AccessTable

SAMPLE_PK = 900001
MONTH = {"month": "2018-02"}
UPDATE = {"month": "2018-02", "slug": "prevention"}
MEETING = {"meeting_date": "2018-03-05"}

EXPECTED: AccessTable = {
    "board:index": ({}, NOT_DC),
    "board:periods": ({}, NOT_DC),
    "board:period": (MONTH, NOT_DC),
    "board:update": (UPDATE, NOT_DC),
    "board:update_edit": (UPDATE, {PO, AD, WL}),  # WL: the sample user leads prevention
    "board:highlight": ({**UPDATE, "fmt": "pdf"}, NOT_DC),
    "board:trend": ({}, NOT_DC),
    "board:budgets": ({}, NOT_DC),
    "board:workstream_budget": ({"year": "2018", "slug": "prevention"}, NOT_DC),
    "board:budget_line": ({"pk": str(SAMPLE_PK)}, NOT_DC),
    "board:meetings": ({}, NOT_DC),
    "board:meeting": (MEETING, NOT_DC),
    "board:public_update": (MEETING, NOT_DC),
    "board:public_update_edit": (MEETING, {PO, AD}),
    "board:public_update_docx": (MEETING, NOT_DC),
    "board:public_update_pdf": (MEETING, NOT_DC),
    "board:paper": ({"pk": str(SAMPLE_PK)}, NOT_DC),
    "board:actions": ({}, NOT_DC),
}


def setup() -> None:
    """The objects the sample URLs name (the role-matrix fixture has foundation data only)."""
    prevention = Workstream.objects.get(slug="prevention")
    if workstream_has_lead_field():
        lead, _ = User.objects.get_or_create(username="test-workstream_lead")
        prevention.lead = lead  # type: ignore[attr-defined]
        prevention.save()
    period, _ = ReportingPeriod.objects.get_or_create(month=date(2018, 2, 1))
    WorkstreamUpdate.objects.get_or_create(
        workstream=prevention,
        period=period,
        defaults={"confidence": "amber_green", "narrative": "On track.", "status": "submitted"},
    )
    meeting, _ = BoardMeeting.objects.get_or_create(
        date=date(2018, 3, 5), defaults={"period": period}
    )
    item, _ = AgendaItem.objects.get_or_create(
        meeting=meeting, title="Mental health deep dive", defaults={"kind": "deep_dive"}
    )
    Decision.objects.get_or_create(meeting=meeting, text="Plans and budgets approved.")
    Action.objects.get_or_create(
        meeting=meeting, description="Report progress", owner="PMO", due=date(2018, 4, 30)
    )
    BoardUpdateDraft.objects.get_or_create(
        meeting=meeting, defaults={"title": "Update", "body": "## Decisions\n- Approved.\n"}
    )
    BudgetLine.objects.get_or_create(
        pk=SAMPLE_PK,
        defaults={
            "workstream": prevention,
            "financial_year": 2018,
            "name": "Programme staff",
            "planned": Decimal("120000"),
        },
    )
    if not Paper.objects.filter(pk=SAMPLE_PK).exists():
        paper = Paper(pk=SAMPLE_PK, meeting=meeting, item=item, title="Deep dive paper")
        paper.file.save("role-matrix-sample.txt", ContentFile(b"sample paper\n"), save=False)
        paper.save()
