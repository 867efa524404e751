"""Service-change decisions: the staged option appraisal as a governed workflow.

Framework-free rules the web app (`stpkit.web.decisions`) applies and records:

- `stages`: the NHS service-change process (case for change -> ... -> decision) as a
  state machine; each stage has entry and exit conditions over plain "facts" about the
  programme, a sign-off by a named governance role, and reopening only with a reason.
- `panel`: swing weights (must sum to 100, locked before scoring) and panel scoring by
  several scorers (spread, moderation), turned into `stpkit.appraisal` options and
  criteria so weighted totals, ranks, sensitivity and switching values come from one place.
- `timeline`: the timeline to consultation with scenarios, critical path and slippage.
- `funnel`: option counts long -> medium -> short -> preferred.
"""

from stpkit.decisions.errors import (
    DecisionsError,
    ScoringError,
    SignOffError,
    StageError,
    TimelineError,
    WeightsError,
)

__all__ = [
    "DecisionsError",
    "ScoringError",
    "SignOffError",
    "StageError",
    "TimelineError",
    "WeightsError",
]
