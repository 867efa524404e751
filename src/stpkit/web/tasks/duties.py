"""My tasks: what is due from one person, worked out from the records (nothing is stored).

- Updates to submit: the lead of a workstream whose update for the current reporting
  period is missing, a draft or sent back; due on the period's last day.
- Updates to review: the programme office, for every submitted update.
- Risk reviews: open risks reviewed within `REVIEW_HORIZON_DAYS` (or overdue) that the
  person answers for: their workstream's risks, risks they own by name, and the
  programme-wide register for the programme office.
- Sign-offs: the current stage of a programme whose sign-off role the person holds.
- Scoring: an open scoring round the person is on and has not finished scoring.
- Actions: open board actions whose owner names the person (see `people`).

Only tasks in areas the person may see are listed. Dated tasks come first, overdue
first, then by due date; undated tasks (sign-offs, scoring) follow.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse

from stpkit.decisions import GovernanceRole, SignOffError, stages
from stpkit.web.accounts.roles import Role, can_see_area, user_role
from stpkit.web.board.models import Action, ReportingPeriod, WorkstreamUpdate
from stpkit.web.board.services import month_key
from stpkit.web.decisions.models import PanelScore, RoleHolder, ScoringRound
from stpkit.web.decisions.services.queries import candidate_options, current_stage, facts
from stpkit.web.programme.models import Risk, Workstream
from stpkit.web.tasks.people import names_of, owned_by_q

REVIEW_HORIZON_DAYS = 14
DUE_SOON_DAYS = 7

KINDS = {
    "update": "Update to submit",
    "review_update": "Update to review",
    "risk_review": "Risk review",
    "sign_off": "Sign-off",
    "scoring": "Panel scoring",
    "action": "Board action",
}


@dataclass(frozen=True)
class Task:
    """One thing due from a person; `key` names it stably (reminders are sent once per key
    and due date)."""

    key: str
    kind: str
    title: str
    link: str
    due: date | None = None
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today

    def is_due_soon(self, today: date) -> bool:
        return self.due is not None and today <= self.due <= today + timedelta(DUE_SOON_DAYS)


def sort_tasks(tasks: list[Task], today: date) -> list[Task]:
    """Overdue first, then by due date, then undated; ties by title."""
    return sorted(
        tasks,
        key=lambda t: (
            0 if t.is_overdue(today) else 1 if t.due else 2,
            t.due or date.max,
            t.title,
        ),
    )


def period_due(period: ReportingPeriod) -> date:
    """An update is due by the last day of its reporting month."""
    last = calendar.monthrange(period.month.year, period.month.month)[1]
    return period.month.replace(day=last)


def update_tasks(user: Any, today: date) -> list[Task]:
    period = ReportingPeriod.objects.filter(month__lte=today).first()
    if period is None:
        return []
    out = []
    done = set(
        WorkstreamUpdate.objects.filter(
            period=period,
            status__in=[WorkstreamUpdate.Status.SUBMITTED, WorkstreamUpdate.Status.ACCEPTED],
        ).values_list("workstream_id", flat=True)
    )
    returned = set(
        WorkstreamUpdate.objects.filter(
            period=period, status=WorkstreamUpdate.Status.RETURNED
        ).values_list("workstream_id", flat=True)
    )
    for ws in Workstream.objects.filter(lead=user).exclude(pk__in=done):
        out.append(
            Task(
                key=f"update:{ws.pk}:{month_key(period.month)}",
                kind="update",
                title=f"Submit the {ws.name} update for {period}",
                link=reverse("board:update_edit", args=[month_key(period.month), ws.slug]),
                due=period_due(period),
                note="Sent back by the programme office" if ws.pk in returned else "",
            )
        )
    return out


def review_update_tasks(user: Any) -> list[Task]:
    if user_role(user) != Role.PROGRAMME_OFFICE:
        return []
    submitted = WorkstreamUpdate.objects.filter(
        status=WorkstreamUpdate.Status.SUBMITTED
    ).select_related("workstream", "period")
    return [
        Task(
            key=f"review_update:{u.pk}",
            kind="review_update",
            title=f"Review the {u.workstream.name} update for {u.period}",
            link=reverse("board:update", args=[month_key(u.period.month), u.workstream.slug]),
            due=period_due(u.period),
        )
        for u in submitted
    ]


def risk_tasks(user: Any, today: date, names: set[str]) -> list[Task]:
    mine = Q(workstream__lead=user) | owned_by_q(names)
    if user_role(user) == Role.PROGRAMME_OFFICE:
        mine |= Q(workstream__isnull=True)
    risks = (
        Risk.objects.exclude(status="closed")
        .filter(review_date__lte=today + timedelta(REVIEW_HORIZON_DAYS))
        .filter(mine)
        .select_related("workstream")
    )
    return [
        Task(
            key=f"risk_review:{r.pk}",
            kind="risk_review",
            title=f"Review the {'issue' if r.kind == 'issue' else 'risk'}: {r.title}",
            link=reverse("programme:risk", args=[r.pk]),
            due=r.review_date,
            note=r.workstream.name if r.workstream else "Programme-wide",
        )
        for r in risks
    ]


def sign_off_tasks(user: Any, *, check_conditions: bool) -> list[Task]:
    """`check_conditions` adds whether the stage's conditions are met (a few queries per
    programme: the tasks page asks, the header count does not)."""
    held: dict[int, set[GovernanceRole]] = {}
    programmes = {}
    for h in RoleHolder.objects.filter(user=user).select_related("programme"):
        held.setdefault(h.programme_id, set()).add(GovernanceRole(h.role))
        programmes[h.programme_id] = h.programme
    out = []
    for pk, prog in programmes.items():
        roles = held[pk]
        stage = current_stage(prog)
        if stage is None or GovernanceRole(stage.signoff_role) not in roles:
            continue
        note = ""
        if check_conditions:
            signed = [s.signed_off for s in prog.stages.order_by("order")]
            try:
                stages.check_sign_off(prog.process, signed, stage.key, facts(prog), roles)
                note = "Ready to sign off"
            except SignOffError as exc:
                note = "Not ready: " + str(exc).split("cannot be signed off: ", 1)[-1]
        out.append(
            Task(
                key=f"sign_off:{stage.pk}",
                kind="sign_off",
                title=f"Sign off {stage.title} ({prog.name})",
                link=reverse("decisions:stage", args=[prog.slug, stage.key]),
                note=note,
            )
        )
    return out


def scoring_tasks(user: Any) -> list[Task]:
    out = []
    for rnd in ScoringRound.objects.filter(is_open=True, scorers=user).select_related("programme"):
        prog = rnd.programme
        needed = len(candidate_options(prog)) * prog.evaluation_criteria.count()
        done = PanelScore.objects.filter(round=rnd, scorer=user).count()
        if needed and done >= needed:
            continue
        out.append(
            Task(
                key=f"scoring:{rnd.pk}",
                kind="scoring",
                title=f"Score the options for {prog.name} (round {rnd.number})",
                link=reverse("decisions:scoring", args=[prog.slug]),
                note=f"{done} of {needed} scores entered" if needed else "",
            )
        )
    return out


def action_tasks(names: set[str]) -> list[Task]:
    actions = Action.objects.filter(status=Action.Status.OPEN).filter(owned_by_q(names))
    return [
        Task(
            key=f"action:{a.pk}",
            kind="action",
            title=a.description,
            link=reverse("board:meeting", args=[a.meeting.date.isoformat()]),
            due=a.due,
            note=f"Owner: {a.owner}",
        )
        for a in actions.select_related("meeting")
    ]


def tasks_for(user: Any, today: date, *, check_conditions: bool = False) -> list[Task]:
    """Everything due from `user`, overdue first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    tasks: list[Task] = []
    if can_see_area(user, "programme"):
        tasks += update_tasks(user, today)
        tasks += review_update_tasks(user)
        names = names_of(user)
        tasks += risk_tasks(user, today, names)
        tasks += action_tasks(names)
    if can_see_area(user, "decisions"):
        tasks += sign_off_tasks(user, check_conditions=check_conditions)
        tasks += scoring_tasks(user)
    return sort_tasks(tasks, today)
