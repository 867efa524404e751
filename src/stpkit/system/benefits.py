"""Benefits: what a workstream promised, measured by a measure of the catalogue.

A benefit has a baseline and a target on its measure. Realised to date is the latest actual
less the baseline (a level benefit, e.g. the four-hour standard restored), or, for a
cumulative benefit (e.g. savings), the sum of the actuals since the baseline month. Progress
is the realised change as a share of the promised change, signed so that movement in the
better direction counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BenefitProgress:
    realised: float | None
    promised: float
    progress: float | None  # share of the promised change, 1.0 = delivered


def benefit_progress(
    *,
    baseline: float,
    target: float,
    actuals: Sequence[tuple[date, float]],
    cumulative: bool = False,
    since: date | None = None,
) -> BenefitProgress:
    """`actuals` are the measure's (month, actual) pairs in any order."""
    promised = target - baseline if not cumulative else target
    counted = sorted((p, v) for p, v in actuals if since is None or p >= since)
    if not counted:
        return BenefitProgress(None, promised, None)
    realised = sum(v for _, v in counted) if cumulative else counted[-1][1] - baseline
    progress = realised / promised if promised else None
    return BenefitProgress(realised, promised, progress)
