"""Saving programme items: audited, version-checked, and checked by the engine rules.

Views and the Excel import both come through here so the rules (no dependency cycles,
score history, change records) hold whichever way the data arrives.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import F

from stpkit.programme import check_new_dependency
from stpkit.web.core.audit import audited_delete, audited_save, record_change
from stpkit.web.programme.models import (
    Dependency,
    Milestone,
    Objective,
    Risk,
    RiskPolicy,
    RiskScore,
    Workstream,
)


def dependency_edges() -> list[tuple[int, int]]:
    return list(Dependency.objects.values_list("predecessor_id", "successor_id"))


# One advisory lock key for the whole dependency graph (PostgreSQL).
DEPENDENCY_GRAPH_LOCK = 0x53545003


def lock_dependency_graph(successor: Milestone) -> None:
    """Serialise additions to the dependency graph until the transaction ends.

    Locking the two milestones is not enough: two people can close one cycle by adding
    edges between four different milestones at the same moment, each check seeing the
    graph without the other's edge. PostgreSQL: a transaction-level advisory lock; other
    databases (SQLite: one writer at a time): an update that changes nothing takes the
    write lock before the graph is read.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEPENDENCY_GRAPH_LOCK])
    else:
        Milestone.objects.filter(pk=successor.pk).update(version=F("version"))


def milestone_label(milestone: Milestone) -> str:
    return f"{milestone.workstream.name}: {milestone.title}"


def add_dependency(
    *, predecessor: Milestone, successor: Milestone, user: Any, note: str = ""
) -> Dependency:
    """Record that `successor` waits for `predecessor`; DependencyError on self or cycle."""
    with transaction.atomic():
        lock_dependency_graph(successor)
        edges = dependency_edges()
        names = {
            predecessor.pk: milestone_label(predecessor),
            successor.pk: milestone_label(successor),
        }
        loop_ids = {a for e in edges for a in e}
        names.update(
            {
                m.pk: milestone_label(m)
                for m in Milestone.objects.filter(pk__in=loop_ids).select_related("workstream")
                if m.pk not in names
            }
        )
        check_new_dependency(edges, predecessor.pk, successor.pk, names)
        before = _depends_on(successor)
        dependency = Dependency.objects.create(
            predecessor=predecessor, successor=successor, note=note
        )
        record_change(
            user,
            successor,
            "update",
            {"depends on": before},
            {"depends on": _depends_on(successor)},
        )
        return dependency


def remove_dependency(*, dependency: Dependency, user: Any) -> None:
    with transaction.atomic():
        successor = dependency.successor
        before = _depends_on(successor)
        dependency.delete()
        record_change(
            user,
            successor,
            "update",
            {"depends on": before},
            {"depends on": _depends_on(successor)},
        )


def _depends_on(milestone: Milestone) -> str:
    return "; ".join(
        sorted(
            milestone_label(d.predecessor)
            for d in milestone.dependencies.select_related("predecessor__workstream")
        )
    )


def save_risk(
    *, risk: Risk, user: Any, expected_version: int | None = None, reason: str = ""
) -> Risk:
    """Save a risk and, when its score is new or changed, add to its score history."""
    with transaction.atomic():
        previous = (
            Risk.objects.filter(pk=risk.pk).values_list("likelihood", "consequence").first()
            if risk.pk
            else None
        )
        audited_save(risk, user, expected_version=expected_version, reason=reason)
        if previous != (risk.likelihood, risk.consequence):
            RiskScore.objects.create(
                risk=risk,
                likelihood=risk.likelihood,
                consequence=risk.consequence,
                score=risk.likelihood * risk.consequence,
                recorded_by=user if getattr(user, "is_authenticated", False) else None,
            )
        return risk


def objective_label(objective: Objective) -> str:
    return f"{objective.text} ({objective.get_gap_display()})"


def save_objective(
    *, objective: Objective, user: Any, expected_version: int | None = None
) -> Objective:
    """Save an aim or objective (version-checked) and record it on its workstream too, so
    the workstream's history shows its objectives being added and changed."""
    with transaction.atomic():
        previous = Objective.objects.filter(pk=objective.pk).first() if objective.pk else None
        before = objective_label(previous) if previous else ""
        audited_save(objective, user, expected_version=expected_version)
        record_change(
            user,
            objective.workstream,
            "update",
            {"objective": before},
            {"objective": objective_label(objective)},
        )
        return objective


def remove_objective(*, objective: Objective, user: Any) -> None:
    with transaction.atomic():
        workstream = objective.workstream
        label = objective_label(objective)
        audited_delete(objective, user)
        record_change(user, workstream, "update", {"objective": label}, {"objective": ""})


def save_workstream(
    *, workstream: Workstream, user: Any, expected_version: int | None = None
) -> Workstream:
    """Add or change a workstream (version-checked, audited)."""
    return audited_save(workstream, user, expected_version=expected_version)


def save_milestone(
    *, milestone: Milestone, user: Any, expected_version: int | None = None, reason: str = ""
) -> Milestone:
    """Add or change a milestone (version-checked, audited with the reason given)."""
    return audited_save(milestone, user, expected_version=expected_version, reason=reason)


def save_risk_policy(
    *, policy: RiskPolicy, user: Any, expected_version: int | None = None
) -> RiskPolicy:
    """Change the risk bands and the escalation threshold (version-checked, audited)."""
    return audited_save(policy, user, expected_version=expected_version)
