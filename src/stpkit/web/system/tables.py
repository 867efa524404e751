"""Rows of the system view's tables: the same rows render the page and the downloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stpkit.system import MeasureSummary
from stpkit.system.rating import Rating
from stpkit.system.trajectory import improving

MEASURE_COLUMNS = [
    ("name", "Measure"),
    ("gap", "Gap"),
    ("workstream", "Workstream"),
    ("period", "Latest month"),
    ("actual", "Actual"),
    ("planned", "Trajectory"),
    ("target", "Standard or target"),
    ("rag", "RAG"),
    ("variation", "Variation"),
    ("assurance", "Assurance"),
    ("trend", "Trend"),
]
VALUE_COLUMNS = [
    ("period", "Month"),
    ("planned", "Trajectory"),
    ("actual", "Actual"),
    ("special", "Special cause"),
    ("rules", "Rules"),
]
INDICATOR_COLUMNS = [
    ("theme", "Theme"),
    ("area", "Area"),
    ("indicator", "Indicator"),
    ("value", "Value"),
    ("score", "Score (1-4)"),
    ("basis", "Scored against"),
    ("next_value", "Value for the next score"),
]
HISTORY_COLUMNS = [("period", "Month"), ("score", "Overall score"), ("category", "Rating")]


def _round(v: float | None, digits: int = 1) -> float | None:
    return None if v is None else round(v, digits)


def trend_word(s: MeasureSummary) -> str:
    better = improving(s.trend, s.definition.polarity)
    return {True: "Improving", False: "Worsening", None: "No clear trend"}[better]


def measure_row(s: MeasureSummary, workstreams: dict[str, str]) -> dict[str, Any]:
    d = s.definition
    return {
        "code": d.code,
        "name": d.name,
        "gap": d.gap.label,
        "workstream": workstreams.get(d.workstream, d.workstream or "–"),
        "period": s.latest.period.strftime("%b %Y") if s.latest else None,
        "actual": _round(s.latest.actual) if s.latest else None,
        "planned": _round(s.latest.planned) if s.latest else None,
        "target": d.target,
        "unit": d.unit,
        "rag": s.rag.label,
        "rag_obj": s.rag,
        "variation": s.spc.variation.label if s.spc else "Too few points",
        "assurance": s.spc.assurance.label if s.spc else "–",
        "spc": s.spc,
        "trend": trend_word(s),
    }


def value_rows(s: MeasureSummary) -> list[dict[str, Any]]:
    special = {}
    if s.spc is not None:
        measured = [v for v in s.values if v.actual is not None]
        special = {v.period: p for v, p in zip(measured, s.spc.points, strict=True)}
    rows = []
    for v in reversed(s.values):
        point = special.get(v.period)
        rows.append(
            {
                "period": v.period.strftime("%b %Y"),
                "planned": _round(v.planned, 2),
                "actual": _round(v.actual, 2),
                "special": ("Yes" if point.special else "No") if point else "–",
                "rules": ", ".join(point.rules).replace("_", " ") if point else "",
            }
        )
    return rows


def indicator_rows(rating: Rating) -> list[dict[str, Any]]:
    return [
        {
            "theme": s.indicator.theme.value,
            "area": s.indicator.area,
            "indicator": s.indicator.name,
            "code": s.indicator.code,
            "value": _round(s.value),
            "score": s.score,
            "basis": s.basis,
            "next_value": _round(s.next_value),
        }
        for s in rating.indicators
    ]


def history_rows(history: Sequence[tuple[Any, Rating]]) -> list[dict[str, Any]]:
    return [
        {
            "period": p.strftime("%b %Y"),
            "score": _round(r.score, 2),
            "category": r.category.value if r.category else "Not rated",
        }
        for p, r in reversed(history)
    ]
