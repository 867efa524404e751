"""Charts of the appraisal as Altair charts: the web page draws their Vega-Lite specs and
the Word packs render the same charts to PNG offline with vl-convert, so what a board
member sees on screen and on paper is one chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import altair as alt

from stpkit.appraisal import Evaluation
from stpkit.decisions import FunnelStep, Schedule

NHS_BLUE = "#005eb8"
NHS_GREY = "#768692"
NHS_RED = "#d5281b"


def funnel_chart(steps: Sequence[FunnelStep]) -> alt.Chart:
    data = alt.Data(
        values=[{"list": s.label, "options": s.count, "order": i} for i, s in enumerate(steps)]
    )
    return (
        alt.Chart(data)
        .mark_bar(color=NHS_BLUE)
        .encode(
            y=alt.Y("list:N", sort=alt.SortField("order"), title=None),
            x=alt.X("options:Q", title="Options"),
            tooltip=["list:N", "options:Q"],
        )
        .properties(width=480, height=30 * max(len(steps), 1))
    )


def ranking_chart(ev: Evaluation, labels: dict[str, str] | None = None) -> alt.Chart:
    """Stacked weighted score by criterion, options best first."""
    labels = labels or {}
    rows: list[dict[str, Any]] = []
    for i, o in enumerate(ev.options):
        for j, c in enumerate(ev.criteria):
            rows.append(
                {
                    "option": labels.get(o.name, o.name),
                    "criterion": c.name,
                    "weighted score": round(float(ev.scores[i, j] * ev.weights[j]), 2),
                    "rank": int(ev.ranks[i]),
                }
            )
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("option:N", sort=alt.SortField("rank"), title=None),
            x=alt.X("sum(weighted score):Q", title="Weighted score (0-100)"),
            color=alt.Color("criterion:N", title="Criterion"),
            tooltip=["option:N", "criterion:N", "weighted score:Q"],
        )
        .properties(width=480, height=32 * max(len(ev.options), 1))
    )


def timeline_chart(baseline: Schedule, forecast: Schedule) -> alt.Chart:
    """Gantt of one scenario: planned bars in grey, forecast in blue (red on the critical path)."""
    rows: list[dict[str, Any]] = []
    for b, f in zip(baseline.tasks, forecast.tasks, strict=True):
        rows.append(
            {
                "task": b.task.title[:60],
                "order": b.task.start.isoformat() + b.task.key,
                "start": f.start.isoformat(),
                "end": (f.finish + timedelta(days=1)).isoformat(),  # the last day drawn
                "planned": b.task.start.isoformat(),
                "critical": "Critical path" if f.critical else "Other",
                "slip (days)": f.slip_days,
            }
        )
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("task:N", sort=alt.SortField("order"), title=None)
    )
    bars = base.mark_bar(size=10).encode(
        x=alt.X("start:T", title=None),
        x2="end:T",
        color=alt.Color(
            "critical:N",
            scale=alt.Scale(domain=["Critical path", "Other"], range=[NHS_RED, NHS_BLUE]),
            title=None,
        ),
        tooltip=["task:N", "start:T", "end:T", "slip (days):Q"],
    )
    ticks = base.mark_tick(color="black", thickness=2, size=14).encode(x="planned:T")
    return (bars + ticks).properties(width=560, height=18 * max(len(rows), 1))


def spec(chart: alt.Chart | alt.LayerChart) -> dict[str, Any]:
    return chart.to_dict(validate=False)


def png(chart: alt.Chart | alt.LayerChart, scale: float = 2.0) -> bytes:
    """PNG bytes, rendered offline (once per distinct chart: `charts.render.png`)."""
    from stpkit.charts.render import png as render_png

    return render_png(chart.to_dict(validate=False), scale=scale)
