"""Chart specs of the consultation pages: answers to a closed question with their 95%
confidence intervals, and agreement by district on a map (Vega-Lite dicts via Altair)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from stpkit.consultation.statistics import AGREE_NET


def question_chart(rows: Sequence[dict[str, Any]], by: str) -> dict[str, Any] | None:
    """Bars of the percent giving each answer (grouped unless `by` is "all"), with CIs."""
    frame = pd.DataFrame([r for r in rows if r["percent"] is not None])
    if frame.empty:
        return None
    base = alt.Chart(frame).encode(
        y=alt.Y("option:N", title=None, sort=None),
        yOffset=alt.YOffset("group:N") if by != "all" else alt.YOffset(),
        color=alt.Color("group:N", title="Group"),
    )
    bars = base.mark_bar().encode(x=alt.X("percent:Q", title="Percent of those answering"))
    rules = base.mark_rule(color="black").encode(x="ci_low:Q", x2="ci_high:Q")
    return (bars + rules).properties(width=560).to_dict()


def agreement_map(rows: Sequence[dict[str, Any]], centroids: pd.DataFrame) -> dict[str, Any] | None:
    """Net agreement by area, one circle per district centroid (`district`, `longitude`,
    `latitude`), sized by how many answered."""
    agree = [r for r in rows if r["option"] == AGREE_NET and r["percent"] is not None]
    if not agree:
        return None
    frame = pd.DataFrame(agree).merge(centroids, left_on="group", right_on="district")
    if frame.empty:
        return None
    chart = (
        alt.Chart(frame)
        .mark_circle(opacity=0.8, stroke="black")
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("base:Q", title="Answered"),
            color=alt.Color("percent:Q", title="% agree", scale=alt.Scale(scheme="blues")),
            tooltip=["group", "percent", "base"],
        )
        .project("mercator")
        .properties(width=560, height=360)
    )
    text = chart.mark_text(dy=-14, fontSize=10).encode(text="group:N")
    return (chart + text).to_dict()
