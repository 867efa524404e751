"""Queries and conversions the board views share: budget positions from the database,
actions carried forward, and the public update composed from a meeting's records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from stpkit.programme import budget
from stpkit.programme.budget import Position
from stpkit.reports.board_update import (
    BoardUpdate,
    DiscussedItem,
    WorkstreamProgress,
    compose,
    with_body,
)
from stpkit.web.board.models import (
    Action,
    BoardMeeting,
    BoardUpdateDraft,
    BudgetLine,
    ReportingPeriod,
    WorkstreamUpdate,
)
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
