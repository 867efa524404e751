"""Productivity charts as Altair specs: league tables, distributions, delivery and the waterfall.

The same chart goes to the web page (Vega-Lite JSON drawn by vega-embed) and, as a PNG made
offline by vl-convert, into the Word summary for the board.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from stpkit.charts.render import png as render_png
from stpkit.productivity import LeagueRow, StepKind, Waterfall

NHS_BLUE = "#005eb8"
NHS_DARK = "#003087"
NHS_GREEN = "#007f3b"
NHS_RED = "#d5281b"
NHS_GREY = "#768692"


def league_chart(
    rows: list[LeagueRow], title: str, highlight: set[str], benchmark: float | None = None
) -> alt.LayerChart | alt.Chart:
    """Providers ranked on one metric, Kent and Medway trusts highlighted."""
    frame = pd.DataFrame(
        [
            {
                "provider": r.provider,
                "value": r.value,
                "rank": r.rank,
                "ours": r.provider in highlight,
            }
            for r in rows
        ]
    )
    bars = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=title),
            y=alt.Y("provider:N", sort=alt.EncodingSortField("rank"), title=None),
            color=alt.condition(alt.datum.ours, alt.value(NHS_BLUE), alt.value(NHS_GREY)),
            tooltip=["rank", "provider", "value"],
        )
        .properties(width=460, height=max(120, 16 * len(rows)))
    )
    if benchmark is None:
        return bars
    rule = (
        alt.Chart(pd.DataFrame({"benchmark": [benchmark]}))
        .mark_rule(color=NHS_DARK, strokeDash=[4, 3])
        .encode(x="benchmark:Q")
    )
    return bars + rule


def distribution_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Each peer group's spread of a metric (box plot); frame has peer_group and value."""
    return (
        alt.Chart(frame, title=title)
        .mark_boxplot(color=NHS_BLUE, extent="min-max")
        .encode(x=alt.X("value:Q", title=title), y=alt.Y("peer_group:N", title=None))
        .properties(width=460, height=40 * max(1, frame["peer_group"].nunique()))
    )


def waterfall_chart(
    fall: Waterfall, title: str = "Financial bridge, GBP millions"
) -> alt.LayerChart:
    """A bar from start to end for every step; totals drawn from zero."""
    frame = pd.DataFrame(
        [
            {
                "order": b.order,
                "label": b.label,
                "start": b.start,
                "end": b.end,
                "figure": b.display,
                "kind": (
                    "total"
                    if b.kind is not StepKind.CHANGE
                    else (
                        "to be confirmed"
                        if b.amount is None
                        else ("increase" if b.amount >= 0 else "decrease")
                    )
                ),
            }
            for b in fall.bars
        ]
    )
    x = alt.X(
        "label:N",
        sort=alt.EncodingSortField("order"),
        title=None,
        axis=alt.Axis(labelAngle=-40, labelLimit=220),
    )
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(
            domain=["total", "decrease", "increase", "to be confirmed"],
            range=[NHS_DARK, NHS_RED, NHS_GREEN, NHS_GREY],
        ),
        legend=alt.Legend(title=None, orient="top"),
    )
    base = alt.Chart(frame, title=title)
    bars = base.mark_bar().encode(
        x=x,
        y=alt.Y("start:Q", title="GBP millions"),
        y2="end:Q",
        color=colour,
        tooltip=["label", "figure"],
    )
    labels = (
        base.mark_text(dy=-6, fontSize=11)
        .encode(x=x, y=alt.Y("max_end:Q"), text="figure:N")
        .transform_calculate(max_end="max(datum.start, datum.end)")
    )
    return (bars + labels).properties(width=620, height=320)


def delivery_chart(profile: list[dict[str, Any]], title: str) -> alt.Chart:
    """Cumulative planned and actual savings by month (GBP millions)."""
    rows = []
    for r in profile:
        month = r["month"].strftime("%Y-%m")
        rows.append({"month": month, "series": "Planned", "value": r["cumulative_planned"] / 1e6})
        if r["cumulative_actual"] is not None:
            rows.append({"month": month, "series": "Actual", "value": r["cumulative_actual"] / 1e6})
    return (
        alt.Chart(pd.DataFrame(rows), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("value:Q", title="Cumulative savings, GBP millions"),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=["Planned", "Actual"], range=[NHS_GREY, NHS_BLUE]),
            ),
            tooltip=["month", "series", alt.Tooltip("value:Q", format=",.2f")],
        )
        .properties(width=520, height=240)
    )


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec for the web page (data inline, no network)."""
    result: dict[str, Any] = chart.to_dict()
    return result


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """A PNG of the chart, rendered offline (once per distinct chart)."""
    return render_png(chart.to_dict(validate=False), scale=scale)
