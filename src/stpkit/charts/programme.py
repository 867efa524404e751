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
    """One row per milestone: a bar from start to forecast, a black tick at the baseline.

    A plain dict, not Altair: Altair checked every inline row against the schema, which
    took half a second for a workstream of 200 milestones."""
    y = {
        "field": "milestone",
        "type": "nominal",
        "title": None,
        "sort": {"field": "forecast"},
        "axis": {"labelLimit": 320},
    }
    tooltip = [
        _field("milestone", "nominal"),
        _field("status", "nominal"),
        *(_field(f, "temporal") for f in ("start", "baseline", "forecast")),
        _field("slip_days", "quantitative"),
    ]
    bars = {
        "mark": {"type": "bar", "height": 10},
        "encoding": {
            "x": _field("start", "temporal", "Date"),
            "x2": {"field": "forecast"},
            "y": y,
            "color": STATUS_COLOUR,
            "tooltip": tooltip,
        },
    }
    ends = {
        "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {
            "x": _field("forecast", "temporal"),
            "y": y,
            "color": STATUS_COLOUR,
            "tooltip": tooltip,
        },
    }
    baseline = {
        "mark": {"type": "tick", "color": "black", "thickness": 2, "size": 16},
        "encoding": {"x": _field("baseline", "temporal"), "y": y, "tooltip": tooltip},
    }
    return {
        "$schema": SCHEMA,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "data": {"values": _rows(milestones)},
        "width": "container",
        "height": max(120, 22 * len(milestones)),
        "layer": [bars, ends, baseline],
    }


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

    `width` is "container" on a web page and a number of pixels in a document. The spec
    is a plain dict, not Altair: Altair copied and walked every part of it, which took
    most of a second with 2,000 milestones."""
    on_path = set(path)
    rows = _rows(milestones)
    for row in rows:
        row["label"] = _short(f"{row['workstream']}: {row['milestone']}")
        row["on_path"] = "Yes" if (row["workstream"], row["milestone"]) in on_path else "No"
        row["forecast_label"] = _day(date.fromisoformat(row["forecast"]))
    first = min([date.fromisoformat(r["start"]) for r in rows] + [today])
    last = max([date.fromisoformat(r["forecast"]) for r in rows] + [today])
    room = timedelta(days=max(45, (last - first).days // 6))  # for the date labels
    # The rows are in the order given, so the y axis keeps the data's order (`sort: null`)
    # rather than repeating every label in each layer.
    y: dict[str, Any] = {"field": "label", "type": "nominal", "title": None, "sort": None}
    y["axis"] = {"labelLimit": 360}
    tooltip = [
        _field("workstream", "nominal", "Workstream"),
        _field("milestone", "nominal", "Milestone"),
        _field("status", "nominal", "Status"),
        *(_field(f, "temporal", f.title(), "%d %b %Y") for f in ("start", "baseline", "forecast")),
        _field("slip_days", "quantitative", "Days late against baseline"),
        _field("on_path", "nominal", "On the dependency path"),
    ]
    bars = {
        "mark": {"type": "bar", "height": 12},
        "encoding": {
            "x": {
                **_field("start", "temporal", None),
                "scale": {"domain": [first.isoformat(), (last + room).isoformat()]},
                "axis": {
                    "format": "%b %Y",
                    "labelAngle": 0,
                    "tickCount": "month",
                    "labelOverlap": True,
                },
            },
            "x2": {"field": "forecast"},
            "y": y,
            "color": STATUS_COLOUR,
            "stroke": {
                **_field("on_path", "nominal", "On the dependency path"),
                "legend": {"symbolFillColor": "white", "symbolType": "square"},
                "scale": {"domain": ["Yes", "No"], "range": ["#d5281b", "transparent"]},
            },
            "strokeWidth": {"value": 2},
            "tooltip": tooltip,
        },
    }
    baseline = {
        "mark": {"type": "tick", "color": "black", "thickness": 2, "size": 16},
        "encoding": {"x": _field("baseline", "temporal"), "y": y, "tooltip": tooltip},
    }
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10, "color": "#425563"},
        "encoding": {
            "x": _field("forecast", "temporal"),
            "y": y,
            "text": _field("forecast_label", "nominal"),
        },
    }
    marker = {"values": [{"today": today.isoformat(), "label": f"Today, {_day(today)}"}]}
    today_rule = {
        "data": marker,
        "mark": {"type": "rule", "color": "#330072", "strokeDash": [6, 3], "strokeWidth": 2},
        "encoding": {"x": _field("today", "temporal")},
    }
    today_text = {
        "data": marker,
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "dx": 4,
            "y": -14,
            "color": "#330072",
            "fontWeight": "bold",
        },
        "encoding": {"x": _field("today", "temporal"), "text": _field("label", "nominal")},
    }
    return {
        "$schema": SCHEMA,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "data": {"name": "milestones"},
        "width": width,
        "height": max(120, 22 * len(rows)),
        "layer": [bars, baseline, labels, today_rule, today_text],
        "datasets": {"milestones": rows},
    }


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
STATUS_COLOUR = {
    "field": "status",
    "type": "nominal",
    "title": "Status",
    "scale": {"domain": list(STATUS_COLOURS), "range": list(STATUS_COLOURS.values())},
}


def _field(name: str, kind: str, title: str | None = "", fmt: str = "") -> dict[str, Any]:
    """One encoding field: its name and type, with a title (None: no title) and format."""
    out: dict[str, Any] = {"field": name, "type": kind}
    if title != "":
        out["title"] = title
    if fmt:
        out["format"] = fmt
    return out


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
