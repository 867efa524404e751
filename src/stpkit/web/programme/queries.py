"""Read-side queries of the programme: slipping milestones, escalated risks (now and as at
a past date) and dependency warnings, each in a handful of queries so the dashboards stay
fast with thousands of milestones and risks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from stpkit.programme import (
    ESCALATION_STATUS,
    Slip,
    escalated_on,
    find_slips,
    is_escalated,
    status_on,
)
from stpkit.web.core.models import ChangeRecord
from stpkit.web.programme.models import (
    Dependency,
    Milestone,
    Risk,
    RiskPolicy,
    RiskScore,
    Workstream,
)

DONE = ("complete", "cancelled")


def slipping_milestones() -> QuerySet[Milestone]:
    """Open milestones forecast after their baseline, most slipped first."""
    slip = ExpressionWrapper(F("forecast_date") - F("baseline_date"), output_field=DurationField())
    return (
        Milestone.objects.exclude(status__in=DONE)
        .filter(forecast_date__gt=F("baseline_date"))
        .annotate(slip=slip)
        .order_by("-slip", "forecast_date")
    )


def overdue_review_q(today: date) -> Q:
    """Risks whose review date has passed and that are not closed: the database form of
    `stpkit.programme.risk.review_overdue`, so lists can filter and count them."""
    return Q(review_date__lt=today) & ~Q(status="closed")


def escalated_q(threshold: int) -> Q:
    """Risks escalated to the board: the database form of
    `stpkit.programme.risk.is_escalated` (open, scoring at or above the threshold)."""
    return Q(status=ESCALATION_STATUS, score__gte=threshold)


def escalated_risks(policy: RiskPolicy) -> QuerySet[Risk]:
    return Risk.objects.filter(escalated_q(policy.escalation_threshold))


@dataclass
class DependencyWarning:
    predecessor: Milestone
    successor: Milestone
    days: int


def dependency_slips(workstream: Workstream | None = None) -> list[Slip]:
    """Every dependency whose predecessor is forecast after what waits for it (engine rule),
    worst first, as milestone ids: cheap enough to count on every dashboard view."""
    deps = Dependency.objects.all()
    milestones = Milestone.objects.all()
    if workstream is not None:
        deps = deps.filter(
            Q(successor__workstream=workstream) | Q(predecessor__workstream=workstream)
        )
    edges = list(deps.values_list("predecessor_id", "successor_id"))
    if workstream is not None:
        ids = {i for e in edges for i in e}
        milestones = milestones.filter(pk__in=ids)
    facts = list(milestones.values_list("pk", "forecast_date", "status"))
    forecast: dict[int, date | None] = {pk: d for pk, d, _ in facts}
    done = [pk for pk, _, s in facts if s in DONE]
    return find_slips(edges, forecast, done)


def warnings_for(slips: list[Slip]) -> list[DependencyWarning]:
    """The milestones behind some slips, for display."""
    wanted = {s.predecessor for s in slips} | {s.successor for s in slips}
    by_id = Milestone.objects.select_related("workstream").in_bulk(list(wanted))
    return [
        DependencyWarning(by_id[s.predecessor], by_id[s.successor], s.days)  # type: ignore[index]
        for s in slips
    ]


def dependency_warnings(workstream: Workstream | None = None) -> list[DependencyWarning]:
    return warnings_for(dependency_slips(workstream))


@dataclass
class EscalatedThen:
    risk: Risk
    score: int  # the score in force on the day


def escalated_risks_on(day: date, policy: RiskPolicy) -> list[EscalatedThen]:
    """Risks escalated to the board as at `day`: open on that day (status changes are
    undone from the change history) and scoring at or above the current escalation
    threshold by the score history, highest score first."""
    histories: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for risk_id, recorded_at, value in RiskScore.objects.order_by("recorded_at", "id").values_list(
        "risk_id", "recorded_at", "score"
    ):
        histories[risk_id].append((timezone.localtime(recorded_at).date(), value))
    scores = escalated_on(histories, day, policy.escalation_threshold)
    risks = Risk.objects.select_related("workstream").in_bulk(list(scores))
    status_changes: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for object_id, at, changes in ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Risk),
        object_id__in=[str(pk) for pk in risks],
        action="update",
        changes__has_key="status",
    ).values_list("object_id", "at", "changes"):
        status_changes[int(object_id)].append((timezone.localtime(at).date(), changes["status"][0]))
    found = [
        EscalatedThen(risk, scores[pk])
        for pk, risk in risks.items()
        if is_escalated(
            status_on(risk.status, status_changes.get(pk, []), day),
            scores[pk],
            policy.escalation_threshold,
        )
    ]
    return sorted(found, key=lambda e: (-e.score, e.risk.title))
