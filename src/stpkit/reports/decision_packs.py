"""Word packs of a service change: the options appraisal chapter of a pre-consultation
business case (PCBC) and the decision-making business case (DMBC) summary.

Framework-free: the web layer gathers a `DecisionPack` from its records and these writers
turn it into .docx with python-docx, tables for every figure and charts rendered offline
(Altair -> vl-convert PNG), so the pack can be regenerated at any time and says the same
as the screens.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Cm

from stpkit.appraisal import Evaluation, SwitchingValue
from stpkit.charts import decisions as charts
from stpkit.decisions.funnel import FunnelStep
from stpkit.decisions.timeline import Schedule


@dataclass(frozen=True)
class StageLine:
    title: str
    state: str
    signed_off_by: str = ""
    signed_off_as: str = ""
    signed_off_on: date | None = None


@dataclass(frozen=True)
class EqualitySection:
    """The equality and access impact of the chosen option: its tables (title, header,
    rows: by IMD quintile, by age band, the LSOAs that lose most) and a map of the change
    in travel time by LSOA, as a PNG drawn offline."""

    option: str
    note: str
    tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]
    map_png: bytes
    map_caption: str


@dataclass(frozen=True)
class DecisionPack:
    programme: str
    summary: str
    process: str
    stages: Sequence[StageLine]
    funnel: Sequence[FunnelStep]
    rejected: Sequence[tuple[str, str, str]]  # code, name, reasons
    criteria: Sequence[tuple[str, str, float]]  # group, criterion, weight %
    option_names: dict[str, str]
    evaluation: Evaluation | None = None
    switching: Sequence[SwitchingValue] = ()
    moderations: Sequence[tuple[str, str, float, str]] = ()  # option, criterion, score, reason
    schedules: Sequence[tuple[str, Schedule, Schedule]] = ()  # scenario, baseline, forecast
    preferred: str | None = None
    consultation: tuple[date | None, date | None, str] = (None, None, "")
    decision: tuple[date, str, str, str] | None = None  # date, body, option, conditions
    consultation_analyses: Sequence[str] = ()  # linked analyses (consultation area)
    equality: EqualitySection | None = None  # of the chosen option, where a model gives one
    generated_on: date = field(default_factory=date.today)


def _table(doc: DocumentType, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Light Grid Accent 1"
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _fmt(value)


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _chart(doc: DocumentType, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15))
    doc.add_paragraph().add_run(caption).italic = True


def _ranking(doc: DocumentType, pack: DecisionPack) -> None:
    ev = pack.evaluation
    if ev is None:
        doc.add_paragraph("The panel has not yet completed its scoring.")
        return
    header = ["Rank", "Option", *[c.name for c in ev.criteria], "Weighted score"]
    rows = []
    for r in ev.rows():
        code = str(r["option"])
        rows.append(
            [
                r["rank"],
                f"{code}: {pack.option_names.get(code, '')}",
                *[r[f"{c.name} score"] for c in ev.criteria],
                r["weighted score"],
            ]
        )
    _table(doc, header, rows)
    _chart(
        doc,
        charts.png(charts.ranking_chart(ev)),
        "Weighted score of each option, by criterion (0-100).",
    )


def _funnel(doc: DocumentType, pack: DecisionPack) -> None:
    _table(doc, ["List", "Options"], [(s.label, s.count) for s in pack.funnel])
    if pack.funnel:
        _chart(doc, charts.png(charts.funnel_chart(pack.funnel)), "The option funnel.")


def _equality(doc: DocumentType, section: EqualitySection) -> None:
    doc.add_heading(f"Equality and access impact: {section.option}", 1)
    doc.add_paragraph(section.note)
    _chart(doc, section.map_png, section.map_caption)
    for title, header, rows in section.tables:
        doc.add_heading(title, 2)
        _table(doc, header, rows)


def _save(doc: DocumentType) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_pcbc_chapter(pack: DecisionPack) -> bytes:
    """The options appraisal chapter of the PCBC."""
    doc = Document()
    doc.add_heading(f"{pack.programme}: options appraisal", 0)
    doc.add_paragraph(
        f"Chapter of the pre-consultation business case. Generated {_fmt(pack.generated_on)} "
        "from the appraisal records; every figure here has an audit trail."
    )
    doc.add_paragraph(pack.summary)
    doc.add_heading("The process followed", 1)
    _table(
        doc,
        ["Stage", "State", "Signed off by", "As", "On"],
        [
            (s.title, s.state, s.signed_off_by, s.signed_off_as, s.signed_off_on)
            for s in pack.stages
        ],
    )
    doc.add_heading("From long list to short list", 1)
    _funnel(doc, pack)
    if pack.rejected:
        doc.add_heading("Options rejected at the hurdle criteria, with reasons", 2)
        _table(doc, ["Option", "Description", "Reasons"], list(pack.rejected))
    doc.add_heading("Evaluation criteria and weights", 1)
    _table(doc, ["Group", "Criterion", "Weight (%)"], list(pack.criteria))
    doc.add_heading("Evaluation of the short list", 1)
    _ranking(doc, pack)
    if pack.moderations:
        doc.add_heading("Moderated scores", 2)
        _table(doc, ["Option", "Criterion", "Agreed score", "Reason"], list(pack.moderations))
    if pack.switching:
        doc.add_heading("Sensitivity: switching values", 2)
        for sv in pack.switching:
            doc.add_paragraph(sv.describe(), style="List Bullet")
    doc.add_heading("Preferred option", 1)
    doc.add_paragraph(pack.preferred or "Not yet agreed.")
    if pack.equality is not None:
        _equality(doc, pack.equality)
    for name, base, fc in pack.schedules:
        doc.add_heading(f"Timeline to consultation – {name}", 1)
        doc.add_paragraph(
            f"Planned launch {_fmt(base.planned_end)}; forecast {_fmt(fc.forecast_end)} "
            f"({fc.end_slip_days:+d} days)."
        )
        _table(
            doc,
            ["Task", "Planned", "Forecast", "Slip (days)", "Float (days)", "Critical"],
            [
                (
                    t.task.title,
                    t.task.start,
                    t.start,
                    t.slip_days,
                    t.float_days,
                    "yes" if t.critical else "",
                )
                for t in fc.tasks
            ],
        )
        _chart(
            doc,
            charts.png(charts.timeline_chart(base, fc)),
            f"{name}: forecast bars (critical path in red), planned starts as black ticks.",
        )
    return _save(doc)


def write_dmbc_summary(pack: DecisionPack) -> bytes:
    """The summary of the decision-making business case."""
    doc = Document()
    doc.add_heading(f"{pack.programme}: decision-making business case summary", 0)
    doc.add_paragraph(pack.summary)
    starts, ends, reference = pack.consultation
    doc.add_heading("Consultation", 1)
    doc.add_paragraph(
        f"Public consultation from {_fmt(starts)} to {_fmt(ends)}. "
        f"Analysis of responses: {reference or 'not yet linked'}."
    )
    for title in pack.consultation_analyses:
        doc.add_paragraph(f"Consultation analysis: {title}", style="List Bullet")
    doc.add_heading("Options considered", 1)
    _funnel(doc, pack)
    _ranking(doc, pack)
    doc.add_heading("Decision", 1)
    if pack.decision is None:
        doc.add_paragraph("No decision has been recorded yet.")
    else:
        when, body, option, conditions = pack.decision
        _table(
            doc,
            ["Decided on", "By", "Option chosen", "Conditions"],
            [(when, body, option, conditions)],
        )
    doc.add_heading("Governance", 1)
    _table(
        doc,
        ["Stage", "State", "Signed off by", "As", "On"],
        [
            (s.title, s.state, s.signed_off_by, s.signed_off_as, s.signed_off_on)
            for s in pack.stages
        ],
    )
    return _save(doc)
