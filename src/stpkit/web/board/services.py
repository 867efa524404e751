"""Queries and writes the board views share: budget positions from the database, actions
carried forward, the public update composed from a meeting's records; and the writes
(keyword-only, each one transaction with its audit record through `core.audit`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from stpkit.programme import Position, budget
from stpkit.reports.board_update import (
    BoardUpdate,
    DiscussedItem,
    WorkstreamProgress,
    body_text,
    compose,
    with_body,
)
from stpkit.web.board.models import (
    Action,
    BoardMeeting,
    BoardUpdateDraft,
    BudgetActual,
    BudgetLine,
    ReportingPeriod,
    WorkstreamUpdate,
)
from stpkit.web.core import clock
from stpkit.web.core.audit import audited_save
from stpkit.web.programme.models import Workstream


def parse_month(text: str) -> date | None:
    """'2018-03' -> 1 March 2018; None if it is not a month."""
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


@dataclass
class WorkstreamBudget:
    workstream: Workstream
    total: Position
    lines: list[tuple[BudgetLine, Position]]


@dataclass
class ProgrammeBudget:
    year: int
    reported_to: date | None
    workstreams: list[WorkstreamBudget]
    total: Position

    @property
    def year_label(self) -> str:
        return budget.financial_year_label(self.year)


def engine_line(line: BudgetLine) -> budget.BudgetLine:
    actuals = {a.month: a.amount for a in line.actuals.all()}
    return budget.BudgetLine(line.name, line.planned, actuals)


def programme_budget(year: int, workstream: Workstream | None = None) -> ProgrammeBudget:
    """Every workstream's lines for the year, reported to the latest month with actuals."""
    lines = BudgetLine.objects.filter(financial_year=year).select_related("workstream")
    lines = lines.prefetch_related("actuals")
    engine = {line.pk: engine_line(line) for line in lines}
    reported_to = budget.latest_actual_month(engine.values())
    by_ws: dict[int, list[tuple[BudgetLine, Position]]] = defaultdict(list)
    for line in lines:
        position = budget.line_position(engine[line.pk], year, reported_to)
        by_ws[line.workstream_id].append((line, position))
    chosen = [workstream] if workstream else list(Workstream.objects.all())
    rows = [
        WorkstreamBudget(ws, budget.roll_up(ws.name, (p for _, p in by_ws[ws.pk])), by_ws[ws.pk])
        for ws in chosen
    ]
    total = budget.roll_up("Programme", (r.total for r in rows))
    return ProgrammeBudget(year, reported_to, rows, total)


def budget_years() -> list[int]:
    years = BudgetLine.objects.values_list("financial_year", flat=True).distinct()
    return sorted(set(years))


def position_row(name: str, p: Position) -> dict[str, object]:
    return {
        "name": name,
        "plan": p.plan,
        "plan_to_date": p.plan_to_date,
        "actual_to_date": p.actual_to_date,
        "variance": p.variance_to_date,
        "outturn": p.forecast_outturn,
        "forecast_variance": p.forecast_variance,
    }


def money(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.0f}"


def carried_forward(meeting: BoardMeeting) -> QuerySet[Action]:
    """Actions raised at earlier meetings and still open when this one met."""
    return (
        Action.objects.filter(meeting__date__lt=meeting.date)
        .filter(Q(status=Action.Status.OPEN) | Q(closed_on__gte=meeting.date))
        .select_related("meeting")
    )


def period_for(meeting: BoardMeeting) -> ReportingPeriod | None:
    """The meeting's reporting period, or the latest one before the meeting."""
    if meeting.period is not None:
        return meeting.period
    return ReportingPeriod.objects.filter(month__lt=meeting.date).order_by("-month").first()


def progress_for(period: ReportingPeriod | None) -> list[WorkstreamProgress]:
    if period is None:
        return []
    updates = WorkstreamUpdate.objects.filter(
        period=period, status=WorkstreamUpdate.Status.ACCEPTED
    ).select_related("workstream")
    return [
        WorkstreamProgress(u.workstream.name, u.rag.label, " ".join(u.narrative.split()))
        for u in sorted(updates, key=lambda u: u.workstream.order)
    ]


def compose_for(meeting: BoardMeeting) -> BoardUpdate:
    """The generated public update for a meeting (before any editing)."""
    period = period_for(meeting)
    items = meeting.items.all()
    return compose(
        partnership=settings.PARTNERSHIP_NAME,
        meeting_date=meeting.date,
        discussed=[DiscussedItem(i.title, i.summary, i.get_kind_display()) for i in items],
        decisions=[d.text for d in meeting.decisions.all()],
        progress=progress_for(period),
        period_label=str(period) if period else "",
    )


def update_for(draft: BoardUpdateDraft) -> BoardUpdate:
    """The public update as edited."""
    return with_body(compose_for(draft.meeting), draft.body, title=draft.title)


def close_action(
    *, action: Action, meeting: BoardMeeting, user: Any, expected_version: int
) -> Action:
    """Mark `action` done at `meeting` (closed on the meeting's date when the action is from
    an earlier meeting, else today); StaleEditError if someone changed it meanwhile."""
    action.status = Action.Status.DONE
    action.closed_on = meeting.date if action.meeting.date < meeting.date else clock.today()
    return audited_save(
        action, user, expected_version=expected_version, reason=f"Closed at {meeting}"
    )


def add_to_meeting(*, obj: Model, meeting: BoardMeeting, user: Any) -> Model:
    """Record an agenda item, decision or action added at `meeting`."""
    return audited_save(obj, user, reason=f"Added to {meeting}")


def generate_update(*, meeting: BoardMeeting, user: Any) -> BoardUpdateDraft:
    """Create the public update's draft from the meeting's records, or regenerate an
    unpublished one."""
    update = compose_for(meeting)
    draft = BoardUpdateDraft.objects.filter(meeting=meeting).first()
    draft = draft or BoardUpdateDraft(meeting=meeting)
    draft.title, draft.body = update.title, body_text(update)
    draft.published_at = None
    return audited_save(draft, user, reason="Generated from the meeting's records")


def set_published(
    *, draft: BoardUpdateDraft, user: Any, publish: bool, expected_version: int
) -> BoardUpdateDraft:
    """Publish the draft (stamped with who and when) or take it back to unpublished."""
    draft.published_at = timezone.now() if publish else None
    draft.published_by = user if publish else None
    return audited_save(
        draft,
        user,
        expected_version=expected_version,
        reason="Published" if publish else "Unpublished",
    )


def add_meeting(*, meeting: BoardMeeting, user: Any) -> BoardMeeting:
    return audited_save(meeting, user, reason="Meeting added")


def add_budget_line(*, line: BudgetLine, user: Any) -> BudgetLine:
    return audited_save(line, user, reason="Budget line added")


def save_budget_line(
    *, line: BudgetLine, user: Any, expected_version: int | None = None
) -> BudgetLine:
    return audited_save(line, user, expected_version=expected_version)


def record_actual(*, line: BudgetLine, month: date, amount: Decimal, user: Any) -> BudgetActual:
    """Record (or correct) the month's actual spend against a budget line."""
    with transaction.atomic():
        actual = BudgetActual.objects.select_for_update().filter(line=line, month=month).first()
        actual = actual or BudgetActual(line=line, month=month, amount=amount)
        actual.amount = amount
        return audited_save(actual, user, reason="Actual recorded")


def review_update(
    *, update: WorkstreamUpdate, user: Any, accept: bool, comment: str, expected_version: int
) -> WorkstreamUpdate:
    """The programme office accepts a submitted update or sends it back with a comment."""
    update.status = WorkstreamUpdate.Status.ACCEPTED if accept else WorkstreamUpdate.Status.RETURNED
    update.review_comment = comment.strip()
    return audited_save(
        update,
        user,
        expected_version=expected_version,
        reason="Accepted" if accept else "Sent back",
    )


def save_update(
    *, update: WorkstreamUpdate, user: Any, submit: bool, expected_version: int | None
) -> WorkstreamUpdate:
    """Save a workstream update as a draft, or submit it to the programme office. An
    accepted update corrected by the office stays accepted; a returned one stays returned
    until it is submitted again."""
    if submit:
        update.status = WorkstreamUpdate.Status.SUBMITTED
        update.submitted_by = user
        update.submitted_at = timezone.now()
    elif update.status not in (
        WorkstreamUpdate.Status.ACCEPTED,
        WorkstreamUpdate.Status.RETURNED,
    ):
        update.status = WorkstreamUpdate.Status.DRAFT
    return audited_save(
        update, user, expected_version=expected_version, reason="Submitted" if submit else "Saved"
    )


def save_public_update(
    *, draft: BoardUpdateDraft, user: Any, expected_version: int | None
) -> BoardUpdateDraft:
    return audited_save(draft, user, expected_version=expected_version, reason="Edited")
