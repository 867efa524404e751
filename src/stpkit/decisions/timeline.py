"""The timeline to consultation: tasks with dates and dependencies, scenarios, critical path.

Seed 004's "revised timeline to consultation" is a set of dated meetings and pieces of work
(Clinical Senate review, Joint Committee workshops, NHS England investment committee,
PCBC drafting) with two scenarios: one investment committee meeting (launch 01/02) or two
(launch 08/03). Such a timeline is date-driven: a meeting happens on its date unless what
it needs is late. So the schedule is a forward pass where each task starts on its planned
(or forecast) date, or when its last predecessor finishes if that is later, and lasts as
long as planned. Slippage is any task ending later than planned; the end moves only when a
slip eats all of a task's float.

- **Float** of a task: how many days it can slip without moving the end of the scenario
  (backward pass from the end; exact for this "start no earlier than" schedule).
- **Critical path**: walking back from the end task, each task's driving predecessor (the
  one finishing last); these are the tasks that set the end date, and the ones to watch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from stpkit.decisions.errors import TimelineError


@dataclass(frozen=True)
class Task:
    """One piece of work or meeting. `scenarios` empty means it belongs to every scenario.

    `depends_on` holds task keys, each optionally with a lag in days ("cs_panel+14": starts
    at least 14 days after the Clinical Senate panel finishes, the time to write a report).
    """

    key: str
    title: str
    start: date
    finish: date
    lane: str = ""
    depends_on: tuple[str, ...] = ()
    scenarios: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.finish < self.start:
            raise TimelineError(
                f"Task {self.key!r} ({self.title}) finishes {self.finish:%d/%m/%Y}, "
                f"before it starts {self.start:%d/%m/%Y}"
            )

    @property
    def days(self) -> int:
        return (self.finish - self.start).days

    def in_scenario(self, scenario: str) -> bool:
        return not self.scenarios or scenario in self.scenarios

    @property
    def dependencies(self) -> list[tuple[str, int]]:
        """(task key, lag days) for each dependency."""
        out = []
        for d in self.depends_on:
            key, _, lag = d.partition("+")
            try:
                out.append((key.strip(), int(lag) if lag else 0))
            except ValueError:
                raise TimelineError(
                    f"Task {self.key!r}: dependency {d!r} is not 'key' or 'key+days'"
                ) from None
        return out


@dataclass(frozen=True)
class ScheduledTask:
    task: Task
    start: date
    finish: date
    float_days: int | None  # None: the task does not lead to the end task
    critical: bool

    @property
    def slip_days(self) -> int:
        return (self.finish - self.task.finish).days


@dataclass(frozen=True)
class Schedule:
    scenario: str
    tasks: tuple[ScheduledTask, ...]  # in dependency order
    end: ScheduledTask
    critical_path: tuple[str, ...]  # task keys, first to last

    @property
    def planned_end(self) -> date:
        return self.end.task.finish

    @property
    def forecast_end(self) -> date:
        return self.end.finish

    @property
    def end_slip_days(self) -> int:
        return (self.forecast_end - self.planned_end).days

    def get(self, key: str) -> ScheduledTask:
        for t in self.tasks:
            if t.task.key == key:
                return t
        raise TimelineError(f"Scenario {self.scenario!r} has no task {key!r}")

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "task": t.task.title,
                "lane": t.task.lane,
                "planned_start": t.task.start,
                "planned_finish": t.task.finish,
                "forecast_start": t.start,
                "forecast_finish": t.finish,
                "slip_days": t.slip_days,
                "float_days": t.float_days,
                "critical": "yes" if t.critical else "",
            }
            for t in self.tasks
        ]


def _order(tasks: Sequence[Task]) -> list[Task]:
    """Dependency order; a dependency on an unknown task or a cycle is refused by name."""
    by_key = {t.key: t for t in tasks}
    if len(by_key) != len(tasks):
        keys = [t.key for t in tasks]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise TimelineError(f"Task keys must be unique: {', '.join(dup)} repeated")
    for t in tasks:
        for d, _ in t.dependencies:
            if d not in by_key:
                raise TimelineError(
                    f"Task {t.key!r} ({t.title}) depends on {d!r}, which is not in this scenario"
                )
    out: list[Task] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(t: Task, path: list[str]) -> None:
        if state.get(t.key) == 2:
            return
        if state.get(t.key) == 1:
            cycle = [*path[path.index(t.key) :], t.key]
            raise TimelineError(f"The timeline has a dependency cycle: {' -> '.join(cycle)}")
        state[t.key] = 1
        for d, _ in t.dependencies:
            visit(by_key[d], [*path, t.key])
        state[t.key] = 2
        out.append(t)

    for t in sorted(tasks, key=lambda t: (t.start, t.key)):
        visit(t, [])
    return out


def schedule(
    tasks: Sequence[Task],
    scenario: str,
    forecast_starts: Mapping[str, date] | None = None,
    end: str | None = None,
) -> Schedule:
    """Forward pass with slips, backward pass for float, driving path back from the end.

    `forecast_starts` moves tasks known to be late (or early) to a new start date; `end` is
    the key of the task that ends the scenario (default: the one finishing last).
    """
    forecast_starts = forecast_starts or {}
    chosen = [t for t in tasks if t.in_scenario(scenario)]
    if not chosen:
        raise TimelineError(f"Scenario {scenario!r} has no tasks")
    unknown = sorted(set(forecast_starts) - {t.key for t in chosen})
    if unknown:
        raise TimelineError(f"Forecasts name tasks not in scenario {scenario!r}: {unknown}")
    order = _order(chosen)
    start: dict[str, date] = {}
    finish: dict[str, date] = {}
    for t in order:
        s = forecast_starts.get(t.key, t.start)
        for d, lag in t.dependencies:
            s = max(s, finish[d] + timedelta(days=lag))
        start[t.key] = s
        finish[t.key] = s + timedelta(days=t.days)
    if end is None:
        end = max(order, key=lambda t: (finish[t.key], t.start)).key
    elif end not in finish:
        raise TimelineError(f"End task {end!r} is not in scenario {scenario!r}")
    project_end = finish[end]
    successors: dict[str, list[tuple[str, int]]] = {t.key: [] for t in order}
    for t in order:
        for d, lag in t.dependencies:
            successors[d].append((t.key, lag))
    by_key = {t.key: t for t in order}
    late_start: dict[str, date] = {}
    for t in reversed(order):
        succ = [
            late_start[s] - timedelta(days=lag) for s, lag in successors[t.key] if s in late_start
        ]
        if t.key == end:
            late_finish = project_end
        elif succ:
            late_finish = min(succ)
        else:
            continue  # does not lead to the end task: no float against it
        late_start[t.key] = late_finish - timedelta(days=t.days)
    path = [end]
    while by_key[path[-1]].depends_on:
        preds = by_key[path[-1]].dependencies
        driver, _ = max(
            preds, key=lambda d: (finish[d[0]] + timedelta(days=d[1]), by_key[d[0]].start)
        )
        path.append(driver)
    path.reverse()
    on_path = set(path)
    scheduled = tuple(
        ScheduledTask(
            t,
            start[t.key],
            finish[t.key],
            (late_start[t.key] - start[t.key]).days if t.key in late_start else None,
            t.key in on_path,
        )
        for t in order
    )
    end_task = next(s for s in scheduled if s.task.key == end)
    return Schedule(scenario, scheduled, end_task, tuple(path))
