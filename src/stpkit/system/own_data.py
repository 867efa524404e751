"""Measures from our own records: the programme's milestones and the productivity savings.

Plain inputs (dates and amounts), so the web layer passes what it reads from its models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date


def month_of(d: date) -> date:
    return d.replace(day=1)


def milestones_on_time(
    milestones: Iterable[tuple[date, date | None]], *, as_at: date
) -> dict[date, float]:
    """Per month ended by `as_at`, the share (%) of milestones due (baseline date) that month
    which were completed on or before it. Each milestone: (baseline date, completed date or
    None). A month not yet over has no share: its milestones may still be met on time."""
    due: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for baseline, completed in milestones:
        if month_of(baseline) >= month_of(as_at):
            continue
        acc = due[month_of(baseline)]
        acc[1] += 1
        if completed is not None and completed <= baseline:
            acc[0] += 1
    return {m: 100.0 * met / n for m, (met, n) in sorted(due.items()) if n}


def savings_by_month(
    months: Iterable[tuple[date, float, float | None]],
) -> dict[date, tuple[float, float | None]]:
    """Per month, (planned, actual) savings summed over schemes, in GBP millions; the actual
    is None until some scheme reports one for the month."""
    out: dict[date, list[float | None]] = {}
    for month, planned, actual in months:
        acc = out.setdefault(month_of(month), [0.0, None])
        acc[0] = (acc[0] or 0.0) + planned / 1e6
        if actual is not None:
            acc[1] = (acc[1] or 0.0) + actual / 1e6
    return {m: (acc[0] or 0.0, acc[1]) for m, acc in sorted(out.items())}
