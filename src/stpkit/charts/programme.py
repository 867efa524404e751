"""Programme timelines (Gantt-like) as Vega-Lite specs built with Altair.

Framework-free: the milestones are anything with the attributes of `MilestoneLike` (the
web app passes its models; a notebook can pass dataclasses)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
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


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gantt(
    milestones: Sequence[MilestoneLike],
    *,
    today: date,
    path: Sequence[tuple[str, str]] = (),
    width: int | str = "container",
) -> dict[str, Any]:
    """A Gantt chart: one labelled row per milestone (grouped by workstream, in the order
    given), a bar from its start to its forecast coloured by status, a black tick at its
    baseline (so a slip shows as the gap between tick and bar end), a red outline on the
    milestones of the dependency path (`path`: (workstream, title) pairs, first to last)
    and a dashed "today" line labelled with the date.

    `width` is "container" on a web page and a number of pixels in a document."""
    on_path = set(path)
    rows = _rows(milestones)
    for row in rows:
        row["label"] = _short(f"{row['workstream']}: {row['milestone']}")
        row["on_path"] = "Yes" if (row["workstream"], row["milestone"]) in on_path else "No"
        row["forecast_label"] = _day(date.fromisoformat(row["forecast"]))
    order = [r["label"] for r in rows]
    # The rows go in as a named dataset after Altair has built the spec: Altair copies and
    # walks inline values, which costs seconds with thousands of milestones.
    data = alt.Data(name="milestones")
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=360))
    tooltip = [
        alt.Tooltip("workstream:N", title="Workstream"),
        alt.Tooltip("milestone:N", title="Milestone"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("start:T", title="Start", format="%d %b %Y"),
        alt.Tooltip("baseline:T", title="Baseline", format="%d %b %Y"),
        alt.Tooltip("forecast:T", title="Forecast", format="%d %b %Y"),
        alt.Tooltip("slip_days:Q", title="Days late against baseline"),
        alt.Tooltip("on_path:N", title="On the dependency path"),
    ]
    first = min([date.fromisoformat(r["start"]) for r in rows] + [today])
    last = max([date.fromisoformat(r["forecast"]) for r in rows] + [today])
    room = timedelta(days=max(45, (last - first).days // 6))  # for the date labels
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(domain=[first.isoformat(), (last + room).isoformat()]),
        axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month", labelOverlap=True),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height=12)
        .encode(
            x=x,
            x2="forecast:T",
            y=y,
            color=_colour(),
            stroke=alt.Stroke(
                "on_path:N",
                title="On the dependency path",
                legend=alt.Legend(symbolFillColor="white", symbolType="square"),
                scale=alt.Scale(domain=["Yes", "No"], range=["#d5281b", "transparent"]),
            ),
            strokeWidth=alt.value(2),
            tooltip=tooltip,
        )
    )
    baseline = (
        alt.Chart(data)
        .mark_tick(color="black", thickness=2, size=16)
        .encode(x="baseline:T", y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=10, color="#425563")
        .encode(x="forecast:T", y=y, text="forecast_label:N")
    )
    marker = alt.Data(values=[{"today": today.isoformat(), "label": f"Today, {_day(today)}"}])
    today_rule = (
        alt.Chart(marker)
        .mark_rule(color="#330072", strokeDash=[6, 3], strokeWidth=2)
        .encode(x="today:T")
    )
    today_text = (
        alt.Chart(marker)
        .mark_text(align="left", baseline="top", dx=4, y=-14, color="#330072", fontWeight="bold")
        .encode(x="today:T", text="label:N")
    )
    height = max(120, 22 * len(rows))
    chart = (bars + baseline + labels + today_rule + today_text).properties(
        width=width, height=height
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.setdefault("datasets", {})["milestones"] = rows
    return spec


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
