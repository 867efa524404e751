"""Notifications when something is assigned to someone: a workstream to lead, a board
action, a governance role, a place on a scoring panel, an update to review or redo.

Listening to the owning apps' saves keeps those apps unaware of notifications (they sit
below this app and may not import it). Each notification carries a key, so saving the
same record again does not notify twice.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import Action, ReportingPeriod, WorkstreamUpdate
from stpkit.web.board.services import month_key
from stpkit.web.decisions.models import RoleHolder, ScoringRound
from stpkit.web.programme.models import Workstream
from stpkit.web.tasks.notify import notify
from stpkit.web.tasks.people import people_named

UID = "stpkit.web.tasks"


def _remember_lead(sender: Any, instance: Workstream, **kwargs: Any) -> None:
    old = Workstream.objects.filter(pk=instance.pk).values_list("lead_id", flat=True).first()
    instance._lead_before = old  # type: ignore[attr-defined]


def _lead_assigned(sender: Any, instance: Workstream, **kwargs: Any) -> None:
    if instance.lead_id is None or instance.lead_id == getattr(instance, "_lead_before", None):
        return
    notify(
        recipient=instance.lead,
        text=f"You are now the lead of the {instance.name} workstream.",
        link=reverse("programme:workstream", args=[instance.slug]),
        key=f"lead:{instance.pk}:{instance.lead_id}",
    )


def _action_assigned(sender: Any, instance: Action, created: bool, **kwargs: Any) -> None:
    if instance.status != Action.Status.OPEN:
        return
    instance = Action.objects.select_related("meeting").get(pk=instance.pk)  # dates as saved
    for person in people_named(instance.owner):
        notify(
            recipient=person,
            text=f"Board action for you (owner: {instance.owner}), due "
            f"{instance.due.day} {instance.due:%B %Y}: {instance.description}",
            link=reverse("board:meeting", args=[instance.meeting.date.isoformat()]),
            key=f"action:{instance.pk}:{instance.owner.strip().lower()}",
        )


def _update_reviewed(sender: Any, instance: WorkstreamUpdate, **kwargs: Any) -> None:
    waiting = (WorkstreamUpdate.Status.SUBMITTED, WorkstreamUpdate.Status.RETURNED)
    if instance.status not in waiting:
        return
    ws = instance.workstream
    period = ReportingPeriod.objects.get(pk=instance.period_id)  # its month as saved
    link = reverse("board:update", args=[month_key(period.month), ws.slug])
    key = f"update:{instance.pk}:{instance.status}:{instance.version}"
    if instance.status == WorkstreamUpdate.Status.SUBMITTED:
        for person in User.objects.filter(is_active=True, role=Role.PROGRAMME_OFFICE.value):
            notify(
                recipient=person,
                text=f"The {ws.name} update for {period} is ready for your review.",
                link=link,
                key=key,
            )
    elif instance.status == WorkstreamUpdate.Status.RETURNED and ws.lead is not None:
        notify(
            recipient=ws.lead,
            text=f"The programme office sent back the {ws.name} update for {period}.",
            link=link,
            key=key,
        )


def _role_given(sender: Any, instance: RoleHolder, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    prog = instance.programme
    notify(
        recipient=instance.user,
        text=f"You are the {instance.get_role_display()} on {prog.name}.",
        link=reverse("decisions:programme", args=[prog.slug]),
        key=f"governance:{instance.pk}",
    )


def _scorers_added(
    sender: Any, instance: ScoringRound, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action != "post_add" or not pk_set or not isinstance(instance, ScoringRound):
        return
    prog = instance.programme
    for person in User.objects.filter(pk__in=pk_set):
        notify(
            recipient=person,
            text=f"Scoring round {instance.number} for {prog.name} is open to you.",
            link=reverse("decisions:scoring", args=[prog.slug]),
            key=f"scorer:{instance.pk}",
        )


def connect() -> None:
    pre_save.connect(_remember_lead, sender=Workstream, dispatch_uid=f"{UID}.lead_before")
    post_save.connect(_lead_assigned, sender=Workstream, dispatch_uid=f"{UID}.lead")
    post_save.connect(_action_assigned, sender=Action, dispatch_uid=f"{UID}.action")
    post_save.connect(_update_reviewed, sender=WorkstreamUpdate, dispatch_uid=f"{UID}.update")
    post_save.connect(_role_given, sender=RoleHolder, dispatch_uid=f"{UID}.role")
    m2m_changed.connect(
        _scorers_added, sender=ScoringRound.scorers.through, dispatch_uid=f"{UID}.scorers"
    )
