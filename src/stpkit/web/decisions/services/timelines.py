"""Timeline scenarios, dated tasks and recorded slips."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from stpkit.decisions import StageError, timeline
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import Programme, Scenario, TimelineTask
from stpkit.web.decisions.services.queries import engine_tasks


@transaction.atomic
def add_scenario(*, prog: Programme, user: Any, key: str, name: str) -> Scenario:
    key, name = key.strip(), name.strip()
    if not key or not name:
        raise StageError("A scenario needs a key and a name")
    if prog.scenarios.filter(key=key).exists():
        raise StageError(f"{prog} already has a scenario {key!r}")
    sc = Scenario(programme=prog, key=key, name=name)
    audited_save(sc, user)
    return sc


@transaction.atomic
def add_task(
    *,
    prog: Programme,
    user: Any,
    key: str,
    title: str,
    start: date | None,
    finish: date | None,
    lane: str = "",
    depends_on: str = "",
    scenarios: Sequence[str] = (),
) -> TimelineTask:
    """A dated step on the timeline; refused if it breaks the schedule of any scenario."""
    key, title = key.strip(), title.strip()
    if not key or not title or start is None:
        raise StageError("A task needs a key, a title and a start date")
    if prog.tasks.filter(key=key).exists():
        raise StageError(f"{prog} already has a task {key!r}")
    finish = finish or start
    chosen = list(prog.scenarios.filter(key__in=scenarios))
    unknown = sorted(set(scenarios) - {s.key for s in chosen})
    if unknown:
        raise StageError(f"Unknown scenarios {unknown}")
    deps = tuple(d.strip() for d in depends_on.split(",") if d.strip())
    new = timeline.Task(key, title, start, finish, lane, deps, frozenset(scenarios))
    tasks = [*engine_tasks(prog), new]
    for sc in prog.scenarios.all():
        if new.in_scenario(sc.key):
            timeline.schedule(tasks, sc.key)  # raises TimelineError naming the problem
    with transaction.atomic():
        t = TimelineTask(
            programme=prog,
            key=key,
            title=title,
            lane=lane,
            start=start,
            finish=finish,
            depends_on=", ".join(deps),
        )
        audited_save(t, user)
        t.scenarios.set(chosen)
    return t


@transaction.atomic
def record_slip(*, task: TimelineTask, user: Any, forecast_start: date | None, reason: str) -> None:
    if forecast_start is not None and not reason.strip():
        raise StageError(f"A new forecast for {task.title!r} needs a reason")
    task.forecast_start = forecast_start
    audited_save(task, user, reason=reason.strip())
