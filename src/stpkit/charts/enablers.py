"""Chart specs of the enabling workstreams' pages (Vega-Lite dicts via Altair).

Four pictures the board asks of the enablers: the workforce projection as a fan chart per
staff group, the capital plan by year against its envelope, the portfolio's trade-off
curve and the estate's unused space by organisation. Each takes the plain rows its page
already shows in a table and returns a `Figure`: the spec plus a sentence that says what
the chart shows, for screen readers (the table stays beside the chart with every figure).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from stpkit.charts.data import NHS_BLUE, NHS_COLOURS

Row = Mapping[str, Any]
SUPPLY_COLOUR = NHS_BLUE
DEMAND_COLOUR = "#ed8b00"
ENVELOPE_COLOUR = "#d5281b"


@dataclass(frozen=True)
class Figure:
    """A chart for a page: its element id, its Vega-Lite spec, and its text alternative."""

    id: str
    spec: dict[str, Any]
    description: str


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _gbp(value: float) -> str:
    return f"£{value / 1e6:,.1f}m" if abs(value) >= 1e6 else f"£{value:,.0f}"


def workforce_fan(rows: Sequence[Row], *, staff_group: str, chart_id: str) -> Figure:
    """Supply and demand of one staff group by year: each a median line in a band from the
    10th to the 90th centile. `rows` have year, supply, supply_low, supply_high, demand,
    demand_low, demand_high (WTE)."""
    values = [
        {
            "year": str(r["year"]),
            "measure": label,
            "p50": r[key],
            "p10": r[f"{key}_low"],
            "p90": r[f"{key}_high"],
        }
        for r in rows
        for key, label in (("supply", "Supply"), ("demand", "Demand"))
    ]
    colour = alt.Color(
        "measure:N",
        title=None,
        scale=alt.Scale(domain=["Supply", "Demand"], range=[SUPPLY_COLOUR, DEMAND_COLOUR]),
    )
    x = alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("measure:N", title="Measure"),
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("p50:Q", title="Median (WTE)", format=",.0f"),
        alt.Tooltip("p10:Q", title="10th centile (WTE)", format=",.0f"),
        alt.Tooltip("p90:Q", title="90th centile (WTE)", format=",.0f"),
    ]
    base = alt.Chart(alt.Data(values=values))
    band = base.mark_area(opacity=0.2).encode(
        x=x, y=alt.Y("p10:Q", title="WTE", scale=alt.Scale(zero=False)), y2="p90:Q", color=colour
    )
    line = base.mark_line(point=True).encode(x=x, y="p50:Q", color=colour, tooltip=tooltip)
    chart = (band + line).properties(width="container", height=220, title=staff_group)
    last = rows[-1] if rows else None
    if last is None:
        text = f"{staff_group}: no projection."
    else:
        text = (
            f"{staff_group}, supply and demand by year with their 10th to 90th centile range. "
            f"In {last['year']} supply is {_n(last['supply'])} WTE "
            f"({_n(last['supply_low'])} to {_n(last['supply_high'])}) and demand "
            f"{_n(last['demand'])} WTE ({_n(last['demand_low'])} to {_n(last['demand_high'])})."
        )
    return Figure(chart_id, chart.to_dict(validate=False), text)


def capital_against_envelope(
    years: Sequence[Row], sources: Mapping[str, str], *, chart_id: str
) -> Figure:
    """Planned capital by year as bars stacked by funding source, the envelope a line over
    them. `years` have year, envelope, planned and src_<source> (GBP); `sources` maps each
    source's code to its label."""
    bars = [
        {"year": y["year"], "source": label, "amount": y.get(f"src_{code}", 0) or 0}
        for y in years
        for code, label in sources.items()
    ]
    envelope = [{"year": y["year"], "envelope": y["envelope"]} for y in years]
    order = [y["year"] for y in years]
    x = alt.X("year:O", title="Year of the plan", sort=order, axis=alt.Axis(labelAngle=0))
    stacked = (
        alt.Chart(alt.Data(values=bars))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(amount):Q", title="Capital (GBP)", axis=alt.Axis(format="~s")),
            color=alt.Color(
                "source:N",
                title="Funding source",
                scale=alt.Scale(domain=list(sources.values()), range=NHS_COLOURS[: len(sources)]),
            ),
            order=alt.Order("source:N"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("source:N", title="Funding source"),
                alt.Tooltip("amount:Q", title="Planned (GBP)", format=",.0f"),
            ],
        )
    )
    line = (
        alt.Chart(alt.Data(values=envelope))
        .mark_line(color=ENVELOPE_COLOUR, strokeWidth=3, point=alt.OverlayMarkDef(color="black"))
        .encode(
            x=x,
            y="envelope:Q",
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("envelope:Q", title="Envelope (GBP)", format=",.0f"),
            ],
        )
    )
    label = (
        alt.Chart(alt.Data(values=envelope[-1:]))
        .mark_text(align="left", dx=8, dy=-8, color=ENVELOPE_COLOUR, fontWeight="bold")
        .encode(x=x, y="envelope:Q", text=alt.value("Envelope"))
    )
    chart = (stacked + line + label).properties(width="container", height=260)
    over = [y for y in years if y["planned"] > y["envelope"]]
    text = (
        "Planned capital by year, in bars stacked by funding source, against the capital "
        "envelope drawn as a line. "
        + "; ".join(f"{y['year']}: {_gbp(y['planned'])} of {_gbp(y['envelope'])}" for y in years)
        + ". "
        + (
            "Over the envelope in " + ", ".join(str(y["year"]) for y in over) + "."
            if over
            else "Within the envelope every year."
        )
    )
    return Figure(chart_id, chart.to_dict(validate=False), text)


def tradeoff_curve(points: Sequence[Row], *, chart_id: str) -> Figure:
    """The best total value as the money available changes. `points` have scale (% of
    today's limits), value (points; None where no portfolio fits) and chosen."""
    values = [
        {"scale": p["scale"], "value": p["value"], "chosen": p["chosen"]}
        for p in points
        if p["value"] is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True, color=NHS_BLUE)
        .encode(
            x=alt.X("scale:Q", title="Money available (% of today's limits)"),
            y=alt.Y("value:Q", title="Best total value (points)"),
            tooltip=[
                alt.Tooltip("scale:Q", title="Money available (%)"),
                alt.Tooltip("value:Q", title="Best value (points)", format=",.0f"),
                alt.Tooltip("chosen:Q", title="Initiatives chosen"),
            ],
        )
        .properties(width="container", height=260)
    )
    if values:
        low, high = values[0], values[-1]
        text = (
            "Trade-off curve: the best total value of the portfolio as the money available "
            f"goes from {low['scale']}% to {high['scale']}% of today's limits, rising from "
            f"{_n(low['value'])} to {_n(high['value'])} points."
        )
    else:
        text = "Trade-off curve: no portfolio fits at any level of money tried."
    return Figure(chart_id, chart.to_dict(validate=False), text)


def unused_space(rows: Sequence[Row], *, chart_id: str) -> Figure:
    """Unused floor area by organisation, split into void space and the unused share of
    occupied space, largest first. `rows` have organisation, unused_m2 and void_m2."""
    order = [r["organisation"] for r in sorted(rows, key=lambda r: -r["unused_m2"])]
    values = [
        {"organisation": r["organisation"], "kind": kind, "m2": m2}
        for r in rows
        for kind, m2 in (
            ("Void", r["void_m2"]),
            ("Occupied but not in use", max(r["unused_m2"] - r["void_m2"], 0)),
        )
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("organisation:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
            x=alt.X("sum(m2):Q", title="Unused floor area (m²)"),
            color=alt.Color(
                "kind:N",
                title="Unused space",
                scale=alt.Scale(
                    domain=["Void", "Occupied but not in use"], range=["#7c2855", "#ffb81c"]
                ),
            ),
            tooltip=[
                alt.Tooltip("organisation:N", title="Organisation"),
                alt.Tooltip("kind:N", title="Unused space"),
                alt.Tooltip("m2:Q", title="m²", format=",.0f"),
            ],
        )
        .properties(width="container", height=max(120, 24 * len(order)))
    )
    top = sorted(rows, key=lambda r: -r["unused_m2"])[:3]
    text = (
        "Unused floor area by organisation, void and occupied but not in use, largest first. "
        + (
            "Most unused: "
            + "; ".join(f"{r['organisation']} {_n(r['unused_m2'])} m²" for r in top)
            + "."
            if top
            else "No buildings."
        )
    )
    return Figure(chart_id, chart.to_dict(validate=False), text)
