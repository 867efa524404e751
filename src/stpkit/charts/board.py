"""Board chart specs (Vega-Lite): delivery confidence ratings over time."""

from __future__ import annotations

from typing import Any

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
    {"workstream", "month" (label), "rating" (label)}.

    A plain dict, not Altair: Altair checked every point against the schema, a quarter of
    a second for 36 months of ten workstreams on every board pack."""
    labels = [LABELS[r] for r in ORDER]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "data": {"values": points},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "title": None,
                "sort": None,
                "axis": {"labelAngle": -45},
            },
            "y": {
                "field": "workstream",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": 300},
            },
            "color": {
                "field": "rating",
                "type": "nominal",
                "title": "Delivery confidence",
                "scale": {"domain": labels, "range": [RAG_COLOURS[r] for r in ORDER]},
            },
            "tooltip": [
                {"field": "workstream", "type": "nominal"},
                {"field": "month", "type": "ordinal"},
                {"field": "rating", "type": "nominal"},
            ],
        },
        "width": "container",
        "height": 30 * max(1, len({p["workstream"] for p in points})),
    }
