"""Board chart specs (Vega-Altair): delivery confidence ratings over time."""

from __future__ import annotations

from typing import Any

import altair as alt

from stpkit.programme import RAG_LABELS as LABELS
from stpkit.programme import RAG_ORDER as ORDER
from stpkit.programme import Rag

RAG_COLOURS = {
    Rag.GREEN: "#007f3b",
    Rag.AMBER_GREEN: "#78be20",
    Rag.AMBER: "#ffb81c",
    Rag.AMBER_RED: "#ed8b00",
    Rag.RED: "#d5281b",
}


def confidence_trend(points: list[dict[str, Any]]) -> dict[str, Any]:
    """A month x workstream grid coloured by delivery confidence; `points` are
    {"workstream", "month" (label), "rating" (label)}."""
    labels = [LABELS[r] for r in ORDER]
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("month:O", title=None, sort=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("workstream:N", title=None, sort=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color(
                "rating:N",
                title="Delivery confidence",
                scale=alt.Scale(domain=labels, range=[RAG_COLOURS[r] for r in ORDER]),
            ),
            tooltip=["workstream:N", "month:O", "rating:N"],
        )
        .properties(width="container", height=30 * max(1, len({p["workstream"] for p in points})))
    )
    return chart.to_dict(validate=False)
