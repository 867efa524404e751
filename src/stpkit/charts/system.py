"""Statistical process control charts (NHS "Making Data Count" style) as Vega-Lite specs.

The actuals as a grey line; points coloured by special cause (blue improvement, orange
concern, purple a change where neither direction is better); the mean as a solid line,
the process limits dashed, the target red and the trajectory (plan) dotted.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt

from stpkit.system.spc import Polarity, SpcResult

COLOURS = {
    "Common cause": "#a6a6a6",
    "Improvement": "#41b6e6",
    "Concern": "#ed8b00",
    "Special cause": "#7c2855",
}


def _kind(direction: int, special: bool, polarity: Polarity) -> str:
    if not special:
        return "Common cause"
    if polarity is Polarity.NEITHER:
        return "Special cause"
    good = (direction > 0) == (polarity is Polarity.HIGHER_IS_BETTER)
    return "Improvement" if good else "Concern"


def spc_chart(
    periods: Sequence[date],
    spc: SpcResult,
    *,
    polarity: Polarity,
    target: float | None = None,
    plan: Sequence[tuple[date, float]] = (),
    unit: str = "",
) -> dict[str, Any]:
    """An XmR chart of `spc` (its points in the order of `periods`)."""
    rows = [
        {
            "period": p.isoformat(),
            "value": pt.value,
            "kind": _kind(pt.direction, pt.special, polarity),
            "rules": ", ".join(pt.rules) or "none",
            "mean": spc.mean,
            "upper": spc.upper_limit,
            "lower": spc.lower_limit,
        }
        for p, pt in zip(periods, spc.points, strict=True)
    ]
    data: dict[str, list[dict[str, Any]]] = {
        "points": rows,
        "target": [{"target": target}],
        "plan": [{"period": p.isoformat(), "planned": v} for p, v in plan],
    }
    spec = copy.deepcopy(_template(target is not None, bool(plan), unit))
    return _fill(spec, data)


@functools.lru_cache(maxsize=16)
def _template(has_target: bool, has_plan: bool, unit: str) -> dict[str, Any]:
    """The chart built once with Altair, its data sources left as names to fill per call
    (building the Altair objects costs far more than the page's other work)."""
    x = alt.X("period:T", title="Month")
    y_title = f"Value ({unit})" if unit else "Value"
    base = alt.Chart(alt.NamedData(name="points"))
    line = base.mark_line(color="#a6a6a6").encode(
        x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    )
    points = base.mark_point(filled=True, size=45).encode(
        x=x,
        y="value:Q",
        color=alt.Color(
            "kind:N",
            title="Variation",
            scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
        ),
        tooltip=[alt.Tooltip("period:T", format="%b %Y"), "value:Q", "kind:N", "rules:N"],
    )
    mean = base.mark_line(color="#231f20").encode(x=x, y="mean:Q")
    upper = base.mark_line(color="#768692", strokeDash=[4, 3]).encode(x=x, y="upper:Q")
    lower = base.mark_line(color="#768692", strokeDash=[4, 3]).encode(x=x, y="lower:Q")
    layers: list[alt.Chart] = [line, mean, upper, lower, points]
    if has_target:
        layers.append(
            alt.Chart(alt.NamedData(name="target"))
            .mark_rule(color="#d5281b", strokeDash=[8, 4])
            .encode(y="target:Q")
        )
    if has_plan:
        layers.append(
            alt.Chart(alt.NamedData(name="plan"))
            .mark_line(color="#005eb8", strokeDash=[2, 2])
            .encode(x="period:T", y="planned:Q", tooltip=["period:T", "planned:Q"])
        )
    chart = alt.layer(*layers).properties(width="container", height=300)
    return chart.to_dict(validate=False)


def _fill(node: Any, data: dict[str, list[dict[str, Any]]]) -> Any:
    """Replace every named data source with its values."""
    if isinstance(node, dict):
        source = node.get("data")
        if isinstance(source, dict) and source.get("name") in data:
            node["data"] = {"values": data[source["name"]]}
        for value in node.values():
            _fill(value, data)
    elif isinstance(node, list):
        for value in node:
            _fill(value, data)
    return node
