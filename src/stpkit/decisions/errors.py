"""The decisions engine's exception family: each message says which item and why."""

from __future__ import annotations

from stpkit.errors import StpkitError


class DecisionsError(StpkitError):
    """A service-change workflow rule was broken."""


class StageError(DecisionsError):
    """A stage was opened, signed off, reopened or edited out of turn."""


class SignOffError(StageError):
    """A sign-off without its conditions met or by someone not holding the named role."""


class WeightsError(DecisionsError):
    """Swing weights that do not sum as required, or changed after they were locked."""


class ScoringError(DecisionsError):
    """A panel score out of range, given twice, or given outside an open round."""


class TimelineError(DecisionsError):
    """A timeline with unknown dependencies, a cycle, or dates that do not make sense."""
