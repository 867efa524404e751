"""Load the board's part of the Kent and Medway demo (after the programme demo).

Monthly updates for the ten workstreams from April 2017 to March 2018, the 2018/19 plans
and budgets approved on 5 March 2018 (plans only: the year starts after the demo's clock,
`demo.clock.AS_AT`, so no month of it has any spend yet), and the board
meetings of 24 April 2017 and 5 March 2018 with their decisions, actions, a paper and the
public board update. Idempotent: everything is matched by its natural key.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from stpkit.demo.board_content import BUDGETS_2018, MEETINGS, PHASES
from stpkit.demo.clock import at
from stpkit.programme import financial_year_months
from stpkit.reports.board_update import body_text
from stpkit.web.accounts.models import User
from stpkit.web.board.models import (
    Action,
    AgendaItem,
    BoardMeeting,
    BoardUpdateDraft,
    BudgetActual,
    BudgetLine,
    Decision,
    Paper,
    ReportingPeriod,
    WorkstreamUpdate,
)
from stpkit.web.board.services import compose_for
from stpkit.web.core.tables import xlsx_bytes
from stpkit.web.programme.models import Workstream

FIRST_MONTH = date(2017, 4, 1)
MONTHS = financial_year_months(2017)  # April 2017 to March 2018
STILL_IN_REVIEW = {"hospital-care": "submitted", "digital": "draft"}  # March 2018


def _phase(slug: str, month: date) -> tuple[Any, ...]:
    current = PHASES[slug][0]
    for phase in PHASES[slug]:
        if phase[0] <= month:
            current = phase
    return current


def load_updates(workstreams: dict[str, Workstream]) -> None:
    for month in MONTHS:
        period, _ = ReportingPeriod.objects.get_or_create(month=month)
        for slug, ws in workstreams.items():
            _, rating, narrative, achievements, next_steps, risks = _phase(slug, month)
            status = "accepted"
            if month == MONTHS[-1]:
                status = STILL_IN_REVIEW.get(slug, "accepted")
            lead = getattr(ws, "lead", None)
            submitted = status != "draft"
            WorkstreamUpdate.objects.update_or_create(
                workstream=ws,
                period=period,
                defaults={
                    "confidence": rating,
                    "narrative": narrative,
                    "achievements": achievements,
                    "next_steps": next_steps,
                    "key_risks": risks,
                    "status": status,
                    "submitted_by": lead if submitted else None,
                    "submitted_at": at(date(month.year, month.month, 25)) if submitted else None,
                },
            )


def load_budgets(workstreams: dict[str, Workstream], approved_at: BoardMeeting) -> None:
    """The 2018/19 lines as approved, as plans only; an earlier demo's actuals for that
    year (it once recorded spend for April to June 2018, after the as-at date) go."""
    for slug, lines in BUDGETS_2018.items():
        for order, (name, amount) in enumerate(lines.items(), start=1):
            line, _ = BudgetLine.objects.update_or_create(
                workstream=workstreams[slug],
                financial_year=2018,
                name=name,
                defaults={"planned": Decimal(amount), "order": order, "approved_at": approved_at},
            )
            BudgetActual.objects.filter(line=line).delete()


def load_meeting(spec: dict[str, Any], workstreams: dict[str, Workstream]) -> BoardMeeting:
    period = ReportingPeriod.objects.get(month=spec["period"])
    meeting, _ = BoardMeeting.objects.update_or_create(
        date=spec["date"], defaults={"period": period, "location": spec["location"]}
    )
    items = []
    for order, (kind, title, slug, summary) in enumerate(spec["items"], start=1):
        item, _ = AgendaItem.objects.update_or_create(
            meeting=meeting,
            title=title,
            defaults={
                "kind": kind,
                "order": order,
                "summary": summary,
                "workstream": workstreams.get(slug) if slug else None,
            },
        )
        items.append(item)
    for index, text in spec["decisions"]:
        Decision.objects.update_or_create(
            meeting=meeting, text=text, defaults={"item": items[index]}
        )
    for index, description, owner, due, closed in spec["actions"]:
        Action.objects.update_or_create(
            meeting=meeting,
            description=description,
            defaults={
                "item": items[index],
                "owner": owner,
                "due": due,
                "status": "done" if closed else "open",
                "closed_on": closed,
            },
        )
    return meeting


def attach_budget_paper(meeting: BoardMeeting) -> None:
    title = "Workstream plans and budgets 2018/19"
    if Paper.objects.filter(meeting=meeting, title=title).exists():
        return
    rows = [
        {"workstream": line.workstream.name, "line": line.name, "plan": line.planned}
        for line in BudgetLine.objects.filter(financial_year=2018).select_related("workstream")
    ]
    columns = [("workstream", "Workstream"), ("line", "Budget line"), ("plan", "Plan 2018/19 (£)")]
    item = meeting.items.filter(title__startswith="STP planning and budget").first()
    paper = Paper(
        meeting=meeting,
        item=item,
        title=title,
        uploaded_by=User.objects.filter(username="office").first(),
    )
    paper.file.save(
        "plans-and-budgets-2018-19.xlsx",
        ContentFile(xlsx_bytes(rows, columns, "Budgets")),
        save=False,
    )
    paper.save()


def load_public_update(meeting: BoardMeeting, publish: bool) -> None:
    update = compose_for(meeting)
    BoardUpdateDraft.objects.update_or_create(
        meeting=meeting,
        defaults={
            "title": update.title,
            "body": body_text(update),
            "published_at": at(meeting.date + (date(2017, 5, 2) - date(2017, 4, 24)))
            if publish
            else None,
        },
    )


@transaction.atomic
def load() -> None:
    workstreams = {ws.slug: ws for ws in Workstream.objects.all()}
    missing = set(PHASES) - set(workstreams)
    if missing:
        raise RuntimeError(
            f"Board demo: workstreams missing {sorted(missing)}; load the foundation first"
        )
    load_updates(workstreams)
    meetings = [load_meeting(spec, workstreams) for spec in MEETINGS]
    load_budgets(workstreams, meetings[1])
    attach_budget_paper(meetings[1])
    for meeting, spec in zip(meetings, MEETINGS, strict=True):
        load_public_update(meeting, bool(spec["publish"]))
