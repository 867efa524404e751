"""Programme timelines (Gantt-like) as Vega-Lite specs built with Altair.

Framework-free: the milestones are anything with the attributes of `MilestoneLike` (the
web app passes its models; a notebook can pass dataclasses)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

import altair as alt

from stpkit.programme import MILESTONE_STATUSES


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class MilestoneLike(Protocol):
    """What a timeline reads from a milestone."""

    @property
    def workstream(self) -> _Named: ...
    @property
    def title(self) -> str: ...
    @property
    def start_date(self) -> date | None: ...
    @property
    def baseline_date(self) -> date: ...
    @property
    def forecast_date(self) -> date: ...
    @property
    def status(self) -> str: ...
    @property
    def slip_days(self) -> int: ...


STATUS_COLOURS = {
    "Not started": "#768692",
    "In progress": "#005eb8",
    "Complete": "#007f3b",
    "At risk": "#d5281b",
    "Cancelled": "#aeb7bd",
}


def _rows(milestones: Sequence[MilestoneLike]) -> list[dict[str, Any]]:
    return [
        {
            "workstream": m.workstream.name,
            "milestone": m.title,
            "start": (m.start_date or m.baseline_date).isoformat(),
            "baseline": m.baseline_date.isoformat(),
            "forecast": m.forecast_date.isoformat(),
            "status": MILESTONE_STATUSES[m.status],
            "slip_days": m.slip_days,
        }
        for m in milestones
    ]


def _colour() -> alt.Color:
    return alt.Color(
        "status:N",
        title="Status",
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
    )


def workstream_timeline(milestones: Sequence[MilestoneLike]) -> dict[str, Any]:
    """One row per milestone: a bar from start to forecast, a black tick at the baseline."""
    data = alt.Data(values=_rows(milestones))
    order = alt.SortField("forecast")
    y = alt.Y("milestone:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    tooltip = ["milestone:N", "status:N", "start:T", "baseline:T", "forecast:T", "slip_days:Q"]
    bars = (
        alt.Chart(data)
        .mark_bar(height=10)
        .encode(
            x=alt.X("start:T", title="Date"), x2="forecast:T", y=y, color=_colour(), tooltip=tooltip
        )
    )
    ends = (
        alt.Chart(data)
        .mark_point(filled=True, size=60)
        .encode(x="forecast:T", y=y, color=_colour(), tooltip=tooltip)
    )
    baseline = (
        alt.Chart(data)
        .mark_tick(color="black", thickness=2, size=16)
        .encode(x="baseline:T", y=y, tooltip=tooltip)
    )
    height = max(120, 22 * len(milestones))
    chart = (bars + ends + baseline).properties(width="container", height=height)
    return chart.to_dict(validate=False)


def programme_timeline(milestones: Sequence[MilestoneLike]) -> dict[str, Any]:
    """One row per workstream: each milestone a point at its forecast, a line back to its
    baseline when it has slipped."""
    data = alt.Data(values=_rows(milestones))
    order = list(dict.fromkeys(m.workstream.name for m in milestones))  # programme order
    y = alt.Y("workstream:N", title=None, sort=order, axis=alt.Axis(labelLimit=300))
    tooltip = ["workstream:N", "milestone:N", "status:N", "baseline:T", "forecast:T", "slip_days:Q"]
    slips = (
        alt.Chart(data)
        .transform_filter("datum.slip_days > 0")
        .mark_rule(color="#d5281b", opacity=0.6)
        .encode(x=alt.X("baseline:T", title="Date"), x2="forecast:T", y=y)
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=70, opacity=0.8)
        .encode(x="forecast:T", y=y, color=_colour(), tooltip=tooltip)
    )
    chart = (slips + points).properties(width="container", height=40 * len(order) + 40)
    return chart.to_dict(validate=False)
