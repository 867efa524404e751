"""A one-page highlight report per workstream, for the board: delivery confidence now and
over recent months, the key milestones, the top risks and what the workstream asks of
the board. Written as Word, PDF or HTML from the same blocks (`reports.blocks`).

Framework-free: the web layer gathers a `Highlight` from a workstream's accepted update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stpkit.programme import MILESTONE_STATUSES
from stpkit.reports import blocks as b
from stpkit.reports.board_pack import LABEL_COLOURS, MilestoneLine, RiskLine, risk_table_block

KEY_MILESTONES = 6
TOP_RISKS = 3


@dataclass(frozen=True)
class Highlight:
    workstream: str
    period: str  # "February 2018"
    as_at: date
    confidence: str  # label, e.g. "Amber/Green"
    lead: str = ""
    sro: str = ""
    summary: str = ""
    recent: tuple[tuple[str, str | None], ...] = ()  # (month, rating label), oldest first
    milestones: tuple[MilestoneLine, ...] = ()
    risks: tuple[RiskLine, ...] = ()
    asks: tuple[str, ...] = ()
    status: str = "Accepted"  # the update's review status


def asks_from_text(text: str) -> tuple[str, ...]:
    """One ask per non-blank line, bullets stripped."""
    lines = (line.strip().lstrip("-*•").strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def key_milestones(
    milestones: Sequence[MilestoneLine], count: int = KEY_MILESTONES
) -> list[MilestoneLine]:
    """Up to `count` open milestones, slipping ones first, then those due next; listed
    soonest first."""
    open_ = sorted((m for m in milestones if not m.done), key=lambda m: m.forecast_date)
    first = [m for m in open_ if m.slip_days > 0] + [m for m in open_ if m.slip_days <= 0]
    return sorted(first[:count], key=lambda m: m.forecast_date)


def paper(h: Highlight) -> b.Paper:
    people = "; ".join(
        part
        for part in (f"Lead: {h.lead}" if h.lead else "", f"SRO: {h.sro}" if h.sro else "")
        if part
    )
    parts: list[b.Block] = [
        b.Heading(f"{h.workstream}: highlight report, {h.period}", 0),
        b.Para(
            f"Delivery confidence: {h.confidence}. Position as at {b.day(h.as_at)}"
            + (f". {people}." if people else ".")
            + ("" if h.status == "Accepted" else f" This update is {h.status.lower()}.")
        ),
    ]
    if h.recent:
        months = tuple(m for m, _ in h.recent)
        ratings = tuple(r or "–" for _, r in h.recent)
        fills = {
            (0, j): LABEL_COLOURS[r] for j, (_, r) in enumerate(h.recent) if r in LABEL_COLOURS
        }
        parts.append(b.TableBlock("Delivery confidence by month", months, (ratings,), fills))
    if h.summary.strip():
        parts.append(b.Heading("Summary", 1))
        parts.append(b.Para(" ".join(h.summary.split())))
    shown = key_milestones(h.milestones)
    parts.append(b.Heading("Key milestones", 1))
    parts.append(
        b.TableBlock(
            "Open milestones due next, and any slipping",
            ("Milestone", "Status", "Baseline", "Forecast", "Days late"),
            tuple(
                (
                    m.title,
                    MILESTONE_STATUSES.get(m.status, m.status),
                    b.day(m.baseline_date),
                    b.day(m.forecast_date),
                    f"{m.slip_days:,}" if m.slip_days > 0 else "–",
                )
                for m in shown
            ),
            widths=(4, 1.4, 1.3, 1.3, 1),
            empty="No open milestones.",
        )
    )
    parts.append(b.Heading("Top risks", 1))
    top = sorted(h.risks, key=lambda r: (-r.score, r.title))[:TOP_RISKS]
    table = risk_table_block(top, "Open risks with the highest scores")
    parts.append(
        b.TableBlock(
            table.caption,
            ("Risk", "Score", "Owner", "Mitigation"),
            tuple((r[0], r[2], r[3], r[4]) for r in table.rows),
            widths=(3, 0.8, 1.6, 4),
            empty="No open risks.",
        )
    )
    parts.append(b.Heading("Asks of the board", 1))
    parts.append(b.Bullets(h.asks) if h.asks else b.Para("No asks of the board this month."))
    return b.Paper(f"{h.workstream}: highlight report, {h.period}", tuple(parts))


def to_docx(h: Highlight) -> bytes:
    return b.to_docx(paper(h))


def to_pdf(h: Highlight) -> bytes:
    return b.to_pdf(paper(h))


def to_html(h: Highlight) -> str:
    return b.to_html(paper(h))


__all__ = ["Highlight", "asks_from_text", "key_milestones", "paper", "to_docx", "to_html", "to_pdf"]
