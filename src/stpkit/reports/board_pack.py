"""The board update as a paper ready to send (Word and PDF): the meeting's update as the
programme office edited it, led by what a board member reads first: delivery confidence
of every workstream by month (a RAG table and its trend chart), the milestones on a Gantt
chart with those slipping listed, the risks escalated to the board, then sections from the
system view and the enabling workstreams, and a line that witnesses the audit trail.

Framework-free: the web layer gathers a `BoardPack` from its records; `paper` turns it
into blocks (`reports.blocks`) that are written as .docx, .pdf or .html.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stpkit.charts.board import RAG_COLOURS, confidence_trend
from stpkit.charts.programme import gantt
from stpkit.charts.render import png
from stpkit.programme import RAG_LABELS, Rag
from stpkit.reports import blocks as b
from stpkit.reports.board_update import BoardUpdate

LABEL_COLOURS = {RAG_LABELS[r]: colour for r, colour in RAG_COLOURS.items()}
TABLE_PERIODS = 6  # the RAG table shows the latest months; the chart shows them all
CHART_ROWS = 40  # milestones on the paper's Gantt chart


@dataclass(frozen=True)
class RagTable:
    """Delivery confidence (labels such as "Amber/Green", None when no update) of each
    workstream in each period, oldest period first."""

    periods: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str | None, ...]], ...]

    def latest(self, count: int = TABLE_PERIODS) -> RagTable:
        keep = len(self.periods) - min(count, len(self.periods))
        return RagTable(self.periods[keep:], tuple((w, r[keep:]) for w, r in self.rows))

    def points(self) -> list[dict[str, str]]:
        """The chart's points (workstream, month, rating) for the periods rated."""
        return [
            {"workstream": name, "month": period, "rating": rating}
            for name, ratings in self.rows
            for period, rating in zip(self.periods, ratings, strict=True)
            if rating
        ]


@dataclass(frozen=True)
class _Named:
    name: str


@dataclass(frozen=True)
class MilestoneLine:
    """A milestone as the paper shows it; `status` is the stored code (e.g. "at_risk")."""

    workstream_name: str
    title: str
    baseline_date: date
    forecast_date: date
    status: str
    start_date: date | None = None
    on_path: bool = False
    done: bool = False

    @property
    def workstream(self) -> _Named:  # what `charts.programme.MilestoneLike` reads
        return _Named(self.workstream_name)

    @property
    def slip_days(self) -> int:
        return (self.forecast_date - self.baseline_date).days


@dataclass(frozen=True)
class RiskLine:
    title: str
    workstream: str
    score: int
    owner: str = ""
    mitigations: str = ""


@dataclass(frozen=True)
class PackSection:
    """A section from another area (the system view, the enabling workstreams)."""

    heading: str
    intro: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    tables: tuple[b.TableBlock, ...] = ()


@dataclass(frozen=True)
class BoardPack:
    update: BoardUpdate
    as_at: date
    rag: RagTable
    milestones: tuple[MilestoneLine, ...] = ()
    risks: tuple[RiskLine, ...] = ()
    escalation_threshold: int = 0
    sections: tuple[PackSection, ...] = ()
    witness: tuple[str, ...] = ()  # signed heads of the audit trail, as printed
    chart_months: int = 12  # the Gantt shows open milestones due up to this far ahead


def rag_table_block(rag: RagTable, caption: str) -> b.TableBlock:
    rows = tuple((name, *(r or "–" for r in ratings)) for name, ratings in rag.rows)
    fills = {
        (i, j + 1): LABEL_COLOURS[rating]
        for i, (_, ratings) in enumerate(rag.rows)
        for j, rating in enumerate(ratings)
        if rating in LABEL_COLOURS
    }
    widths = (3.0, *(1.2 for _ in rag.periods))
    return b.TableBlock(caption, ("Workstream", *rag.periods), rows, fills, widths)


def risk_table_block(risks: Sequence[RiskLine], caption: str) -> b.TableBlock:
    return b.TableBlock(
        caption,
        ("Risk", "Workstream", "Score", "Owner", "Mitigation"),
        tuple(
            (r.title, r.workstream, str(r.score), r.owner or "–", r.mitigations.strip() or "–")
            for r in risks
        ),
        widths=(3, 2, 0.8, 1.6, 4),
        empty="No risk is escalated to the board.",
    )


def charted_milestones(pack: BoardPack) -> list[MilestoneLine]:
    """What the board can still act on, at most `CHART_ROWS` rows so the chart stays
    readable on a page: the dependency path, then the open milestones forecast soonest
    up to `chart_months` ahead of the paper's date; in programme order."""
    horizon = date(
        pack.as_at.year + (pack.as_at.month - 1 + pack.chart_months) // 12,
        (pack.as_at.month - 1 + pack.chart_months) % 12 + 1,
        1,
    )
    path = [m for m in pack.milestones if m.on_path]
    due = sorted(
        (m for m in pack.milestones if not m.done and not m.on_path and m.forecast_date < horizon),
        key=lambda m: m.forecast_date,
    )
    chosen = {id(m) for m in [*path, *due][:CHART_ROWS]}
    return [m for m in pack.milestones if id(m) in chosen]


def milestone_blocks(pack: BoardPack) -> list[b.Block]:
    shown = charted_milestones(pack)
    out: list[b.Block] = [b.Heading("Milestones", 1)]
    if not shown:
        return [*out, b.Para("No open milestones fall due in the period.")]
    path = [(m.workstream_name, m.title) for m in pack.milestones if m.on_path]
    spec = gantt(shown, today=pack.as_at, path=path, width=560)
    out.append(
        b.Picture(
            png(spec, scale=1.25),
            f"The {len(shown)} open milestones due soonest in the next {pack.chart_months} "
            "months, with the dependency path: each bar runs from "
            "start to forecast, the black tick is the baseline, the dashed line is "
            f"{b.day(pack.as_at)}; red outlines mark the dependency path.",
        )
    )
    slipping = sorted((m for m in shown if m.slip_days > 0), key=lambda m: -m.slip_days)
    out.append(
        b.TableBlock(
            "Milestones forecast later than their baseline",
            ("Milestone", "Workstream", "Baseline", "Forecast", "Days late"),
            tuple(
                (
                    m.title,
                    m.workstream_name,
                    b.day(m.baseline_date),
                    b.day(m.forecast_date),
                    f"{m.slip_days:,}",
                )
                for m in slipping
            ),
            widths=(4, 2.4, 1.3, 1.3, 1),
            empty="Every open milestone is forecast on or before its baseline.",
        )
    )
    return out


def _update_blocks(update: BoardUpdate) -> list[b.Block]:
    out: list[b.Block] = [b.Heading(update.meeting_heading, 1)]
    for section in update.sections:
        out.append(b.Heading(section.heading, 2))
        for block in section.blocks:
            if block.kind == "bullets":
                out.append(b.Bullets(block.lines))
            else:
                out.append(b.Para(block.lines[0]))
    if update.closing:
        out.append(b.Para(update.closing))
    return out


def _section_blocks(section: PackSection) -> list[b.Block]:
    out: list[b.Block] = [b.Heading(section.heading, 1)]
    out.extend(b.Para(p) for p in section.intro)
    if section.bullets:
        out.append(b.Bullets(section.bullets))
    out.extend(section.tables)
    return out


def paper(pack: BoardPack) -> b.Paper:
    """The board update as blocks: the summary first, the meeting's text after."""
    update = pack.update
    rag = pack.rag.latest()
    parts: list[b.Block] = [
        b.Heading(update.title, 0),
        b.Para(f"Position as at {b.day(pack.as_at)}."),
        b.Heading("Delivery confidence", 1),
    ]
    if rag.periods:
        parts.append(rag_table_block(rag, "Delivery confidence by workstream and month"))
        if len(pack.rag.periods) > 1:
            spec = confidence_trend(pack.rag.points())
            parts.append(
                b.Picture(
                    png(spec, width=460, scale=1.25),
                    "Delivery confidence trend: every month reported, by workstream.",
                )
            )
    else:
        parts.append(b.Para("No accepted workstream updates yet."))
    parts.extend(milestone_blocks(pack))
    threshold = f" (score {pack.escalation_threshold} or more)" if pack.escalation_threshold else ""
    parts.append(b.Heading("Risks escalated to the board", 1))
    parts.append(risk_table_block(pack.risks, f"Open risks escalated to the board{threshold}"))
    for section in pack.sections:
        parts.extend(_section_blocks(section))
    parts.extend(_update_blocks(update))
    if pack.witness:
        parts.append(b.Heading("Audit trail witness", 2))
        parts.append(
            b.Para(
                "The signed heads of the audit trail when this paper was written. Keep the "
                "paper: `stpkit kid governance verify-log --paper FILE` checks that the "
                "trail still holds these entries (a rewrite since would be noticed).",
                small=True,
            )
        )
        parts.extend(b.Para(line, small=True, mono=True) for line in pack.witness)
    return b.Paper(update.title, tuple(parts))


def to_docx(pack: BoardPack) -> bytes:
    return b.to_docx(paper(pack))


def to_pdf(pack: BoardPack) -> bytes:
    return b.to_pdf(paper(pack))


def to_html(pack: BoardPack) -> str:
    return b.to_html(paper(pack))


def rag_table(
    workstreams: Sequence[str],
    periods: Sequence[str],
    ratings: dict[tuple[str, str], Rag],
    *,
    programme_row: bool = True,
) -> RagTable:
    """A RagTable from ratings keyed by (workstream, period label), with the programme's
    worst rating per period as a last row."""
    from stpkit.programme import worst

    rows = [
        (w, tuple(ratings[w, p].label if (w, p) in ratings else None for p in periods))
        for w in workstreams
    ]
    if programme_row:
        overall = []
        for p in periods:
            rating = worst(r for (_, pp), r in ratings.items() if pp == p)
            overall.append(rating.label if rating else None)
        rows.append(("Programme (worst)", tuple(overall)))
    return RagTable(tuple(periods), tuple(rows))


__all__ = [
    "BoardPack",
    "MilestoneLine",
    "PackSection",
    "RagTable",
    "RiskLine",
    "charted_milestones",
    "paper",
    "rag_table",
    "to_docx",
    "to_html",
    "to_pdf",
]
