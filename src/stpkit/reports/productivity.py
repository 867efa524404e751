"""The Word summary of the productivity programme for the board.

Takes plain figures (no database), writes a .docx: headline position against the
programme target, the working groups' plans, delivery and risk-adjusted forecasts, the
benchmark opportunity by provider with overlaps excluded, and the financial bridge chart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.shared import Cm

from stpkit.charts.productivity import png, waterfall_chart
from stpkit.productivity import Basis, DeliverySummary, ProviderTotal, Waterfall


@dataclass(frozen=True)
class GroupLine:
    name: str
    lead: str
    status: str
    summary: DeliverySummary


def _m(value: float | None) -> str:
    return "TBC" if value is None else f"£{value / 1e6:,.1f}m"


def board_summary_docx(
    *,
    partnership: str,
    plan_year: str,
    programme_target: float,
    groups: list[GroupLine],
    providers: list[ProviderTotal],
    basis: Basis,
    bridge: Waterfall | None,
    as_at: date,
) -> bytes:
    """The board summary as .docx bytes."""
    doc = Document()
    doc.add_heading(f"{partnership}: productivity programme", level=0)
    doc.add_paragraph(f"Board summary, {plan_year} plan, position at {as_at:%d %B %Y}.")
    planned = sum(g.summary.planned for g in groups)
    delivered = sum(g.summary.delivered for g in groups)
    forecast = sum(g.summary.forecast for g in groups)
    targets = [g.summary.target for g in groups if g.summary.target is not None]
    tbc = [g.name for g in groups if g.summary.target is None]
    doc.add_heading("Headlines", level=1)
    for text in (
        f"Programme opportunity {_m(programme_target)}; working-group targets add to "
        f"{_m(sum(targets))}" + (f" with {', '.join(tbc)} still to be confirmed." if tbc else "."),
        f"Schemes plan {_m(planned)} in {plan_year}; {_m(delivered)} delivered to date.",
        f"Risk-adjusted forecast {_m(forecast)}, leaving {_m(programme_target - forecast)} "
        "of the opportunity to find or secure.",
    ):
        doc.add_paragraph(text, style="List Bullet")

    doc.add_heading("Working groups", level=1)
    table = doc.add_table(rows=1, cols=7)
    table.style = "Light Grid Accent 1"
    for cell, heading in zip(
        table.rows[0].cells,
        ["Working group", "Status", "Target", "Planned", "Delivered", "Forecast", "Gap to target"],
        strict=True,
    ):
        cell.text = heading
    for g in groups:
        s = g.summary
        values = [
            g.name,
            g.status,
            _m(s.target),
            _m(s.planned),
            _m(s.delivered),
            _m(s.forecast),
            _m(s.gap_to_target),
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value

    if providers:
        doc.add_heading(f"Benchmark opportunity against the {basis.label}", level=1)
        doc.add_paragraph(
            "Overlapping opportunities (for example agency spend and pay cost per unit of "
            "activity) are counted once, at the larger of the two."
        )
        ptable = doc.add_table(rows=1, cols=4)
        ptable.style = "Light Grid Accent 1"
        for cell, heading in zip(
            ptable.rows[0].cells,
            ["Provider", "Opportunity", "Overlap excluded", "Staff (WTE)"],
            strict=True,
        ):
            cell.text = heading
        for p in providers:
            for cell, value in zip(
                ptable.add_row().cells,
                [p.provider, _m(p.cash), _m(p.overlap_excluded), f"{p.staff:,.0f}"],
                strict=True,
            ):
                cell.text = value

    if bridge is not None:
        doc.add_heading("Financial bridge", level=1)
        doc.add_picture(io.BytesIO(png(waterfall_chart(bridge))), width=Cm(16))
        doc.add_paragraph(
            f"From a system challenge of £{-bridge.opening:,.0f}m, quantified contributions of "
            f"£{bridge.contributions:,.0f}m leave £{-bridge.closing:,.0f}m in 2020/21"
            + (
                f"; still to be confirmed: {', '.join(bridge.unquantified)}."
                if bridge.unquantified
                else "."
            )
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
