"""Service-change decisions: the staged option appraisal as a governed workflow.

Framework-free rules the web app (`stpkit.web.decisions`) applies and records. This module
is the public API: outside code imports from here (the names below, or the rule modules
as namespaces, e.g. `from stpkit.decisions import stages` then `stages.check_editable`).

- `stages`: the NHS service-change process (case for change -> ... -> decision) as a
  state machine; each stage has entry and exit conditions over plain "facts" about the
  programme, a sign-off by a named governance role, and reopening only with a reason.
- `panel`: swing weights (must sum to 100, locked before scoring) and panel scoring by
  several scorers (spread, moderation), turned into `stpkit.appraisal` options and
  criteria so weighted totals, ranks, sensitivity and switching values come from one place.
- `timeline`: the timeline to consultation with scenarios, critical path and slippage;
  `seed_timeline` the stroke programme's seed dates.
- `funnel`: option counts long -> medium -> short -> preferred.

Charts of the appraisal are in `stpkit.charts.decisions`. Names load on first use, so
importing the package (as the web models do at start-up) does not load the appraisal
engine and numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "stpkit.decisions.errors": (
        "DecisionsError",
        "ScoringError",
        "SignOffError",
        "StageError",
        "TimelineError",
        "WeightsError",
    ),
    "stpkit.decisions.funnel": ("FunnelStep", "funnel_counts"),
    "stpkit.decisions.panel": (
        "CellSummary",
        "Score",
        "WeightedCriterion",
        "panel_evaluation",
        "summarise",
    ),
    "stpkit.decisions.seed_timeline": ("ONE_IC", "SCENARIOS", "STROKE_TIMELINE", "TWO_IC"),
    "stpkit.decisions.stages": (
        "GOVERNANCE_LABELS",
        "PROCESSES",
        "GovernanceRole",
        "Process",
        "StageState",
        "process",
    ),
    "stpkit.decisions.timeline": ("Schedule", "ScheduledTask", "Task", "schedule"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}
_MODULES = ("funnel", "panel", "seed_timeline", "stages", "timeline")


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(f"stpkit.decisions.{name}")
    elif name in _MODULE_OF:
        value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    else:
        raise AttributeError(f"module 'stpkit.decisions' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


__all__ = [
    "GOVERNANCE_LABELS",
    "ONE_IC",
    "PROCESSES",
    "SCENARIOS",
    "STROKE_TIMELINE",
    "TWO_IC",
    "CellSummary",
    "DecisionsError",
    "FunnelStep",
    "GovernanceRole",
    "Process",
    "Schedule",
    "ScheduledTask",
    "Score",
    "ScoringError",
    "SignOffError",
    "StageError",
    "StageState",
    "Task",
    "TimelineError",
    "WeightedCriterion",
    "WeightsError",
    "funnel",
    "funnel_counts",
    "panel",
    "panel_evaluation",
    "process",
    "schedule",
    "seed_timeline",
    "stages",
    "summarise",
    "timeline",
]


if TYPE_CHECKING:
    from stpkit.decisions import funnel, panel, seed_timeline, stages, timeline
    from stpkit.decisions.errors import (
        DecisionsError,
        ScoringError,
        SignOffError,
        StageError,
        TimelineError,
        WeightsError,
    )
    from stpkit.decisions.funnel import FunnelStep, funnel_counts
    from stpkit.decisions.panel import (
        CellSummary,
        Score,
        WeightedCriterion,
        panel_evaluation,
        summarise,
    )
    from stpkit.decisions.seed_timeline import ONE_IC, SCENARIOS, STROKE_TIMELINE, TWO_IC
    from stpkit.decisions.stages import (
        GOVERNANCE_LABELS,
        PROCESSES,
        GovernanceRole,
        Process,
        StageState,
        process,
    )
    from stpkit.decisions.timeline import Schedule, ScheduledTask, Task, schedule
