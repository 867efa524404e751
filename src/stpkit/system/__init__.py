"""The system view: measures and their trajectories, statistical process control, standards.

Public API: `spc` (NHS England "Making Data Count" XmR charts: process limits,
special-cause rules, variation and assurance icons).
"""

from stpkit.system.spc import (
    Assurance,
    Polarity,
    SpcPoint,
    SpcResult,
    Variation,
    xmr,
)

__all__ = ["Assurance", "Polarity", "SpcPoint", "SpcResult", "Variation", "xmr"]
