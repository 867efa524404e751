"""Search across the areas: workstreams, milestones, risks, board actions, options and
documents (board papers and appraisal evidence).

Every word of the query must appear in one of an item's searched fields (case ignored).
Only areas the person may read are searched; each group shows its first
`PER_GROUP` matches and how many there are in all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import reverse

from stpkit.web.accounts.roles import can_see_area
from stpkit.web.board.models import Action, Paper
from stpkit.web.decisions.models import Evidence, Option
from stpkit.web.programme.models import Milestone, Risk, Workstream

PER_GROUP = 20
MAX_WORDS = 8


@dataclass(frozen=True)
class Result:
    title: str
    link: str
    detail: str = ""


@dataclass
class Group:
    area: str
    results: list[Result] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True)
class Searched:
    """One kind of item: which area may read it, its fields and how to show a match."""

    area: str
    group: str
    queryset: Callable[[], QuerySet[Any]]
    fields: Sequence[str]
    show: Callable[[Any], Result]


def words_q(words: Iterable[str], fields: Sequence[str]) -> Q:
    q = Q()
    for word in words:
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": word})
        q &= any_field
    return q


def _when(d: Any) -> str:
    return f"{d.day} {d:%B %Y}"


SEARCHED: tuple[Searched, ...] = (
    Searched(
        "programme",
        "Workstreams",
        lambda: Workstream.objects.all(),
        ("name", "description", "senior_responsible_officer"),
        lambda w: Result(
            w.name, reverse("programme:workstream", args=[w.slug]), w.get_kind_display()
        ),
    ),
    Searched(
        "programme",
        "Milestones",
        lambda: Milestone.objects.select_related("workstream"),
        ("title", "description", "owner"),
        lambda m: Result(
            m.title,
            reverse("programme:milestone", args=[m.pk]),
            f"{m.workstream.name}, forecast {_when(m.forecast_date)}",
        ),
    ),
    Searched(
        "programme",
        "Risks and issues",
        lambda: Risk.objects.select_related("workstream"),
        ("title", "description", "owner", "mitigations"),
        lambda r: Result(
            r.title,
            reverse("programme:risk", args=[r.pk]),
            f"{r.workstream.name if r.workstream else 'Programme-wide'}, score {r.score}, "
            f"{r.get_status_display().lower()}",
        ),
    ),
    Searched(
        "programme",
        "Board actions",
        lambda: Action.objects.select_related("meeting"),
        ("description", "owner", "note"),
        lambda a: Result(
            a.description,
            reverse("board:meeting", args=[a.meeting.date.isoformat()]),
            f"{a.owner}, due {_when(a.due)}, {a.get_status_display().lower()}",
        ),
    ),
    Searched(
        "decisions",
        "Options",
        lambda: Option.objects.select_related("programme"),
        ("code", "name", "description", "members"),
        lambda o: Result(
            f"{o.code}: {o.name}" if o.code != o.name else o.name,
            reverse("decisions:option", args=[o.programme.slug, o.code]),
            f"{o.programme.name}, {o.get_reached_display().lower()}",
        ),
    ),
    Searched(
        "programme",
        "Board papers",
        lambda: Paper.objects.select_related("meeting"),
        ("title",),
        lambda p: Result(p.title, reverse("board:paper", args=[p.pk]), str(p.meeting)),
    ),
    Searched(
        "decisions",
        "Evidence",
        lambda: Evidence.objects.select_related("programme"),
        ("title", "source", "note", "value"),
        lambda e: Result(
            e.title,
            reverse("decisions:programme", args=[e.programme.slug]),
            f"{e.programme.name}, {e.get_kind_display().lower()}"
            + (f", {e.source}" if e.source else ""),
        ),
    ),
)


def search(user: Any, query: str) -> list[Group]:
    """The groups with matches for `query`, in the areas `user` may read."""
    words = [w for w in query.split() if w][:MAX_WORDS]
    if not words:
        return []
    groups = []
    for s in SEARCHED:
        if not can_see_area(user, s.area):
            continue
        matches: QuerySet[Model] = s.queryset().filter(words_q(words, s.fields))
        total = matches.count()
        if total:
            rows = [s.show(m) for m in matches[:PER_GROUP]]
            groups.append(Group(s.group, rows, total))
    return groups
