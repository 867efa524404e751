"""The consultation report as a Word document (python-docx), for the business case."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Pt

from stpkit.consultation.report import (
    STANCES,
    Report,
    fmt_count,
    fmt_interval,
    fmt_percent,
)


def _table(doc: DocumentType, headings: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Light Grid Accent 1"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value


def report_docx(report: Report) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(f"Service change programme: {report.programme or 'not linked'}")
    doc.add_paragraph(
        f"Prepared {report.generated:%d %B %Y}. Figures are protected: {report.policy_note}"
    )
    doc.add_heading("Who responded", level=1)
    _table(
        doc,
        ["Respondent type", "Responses"],
        [[t.title(), fmt_count(n)] for t, n in report.by_type.items()]
        + [["All", fmt_count(report.respondents)]],
    )
    for summary in report.open:
        doc.add_heading(f"Themes: {summary.question.text}", level=1)
        doc.add_paragraph(f"{fmt_count(summary.answered)} respondents answered this question.")
        types = list(next(iter(summary.themes)).by_type) if summary.themes else []
        _table(
            doc,
            [
                "Theme",
                "Responses",
                "% of answers",
                *[t.title() for t in types],
                *[s.title() for s in STANCES],
            ],
            [
                [
                    t.label,
                    fmt_count(t.count),
                    fmt_percent(t.percent),
                    *[fmt_count(t.by_type[x]) for x in types],
                    *[fmt_count(t.stance[s]) for s in STANCES],
                ]
                for t in summary.themes
            ],
        )
        for t in summary.themes:
            doc.add_heading(f"{t.label} ({fmt_count(t.count)})", level=2)
            for quote in t.quotes:
                doc.add_paragraph(f"“{quote}”", style="Intense Quote")
    doc.add_heading("Closed questions", level=1)
    for question, stats in report.closed:
        doc.add_heading(question.text, level=2)
        _table(
            doc,
            ["Group", "Answer", "Count", "Base", "Percent", "95% interval"],
            [
                [
                    s.group,
                    s.option,
                    fmt_count(s.count),
                    fmt_count(s.base),
                    fmt_percent(s.percent),
                    fmt_interval(s),
                ]
                for s in stats
            ],
        )
    doc.add_heading("Campaigns and duplicate responses", level=1)
    if report.campaigns:
        _table(
            doc,
            ["Responses", "Campaign", "Text"],
            [[fmt_count(n), "Yes" if c else "No", text[:300]] for n, text, c in report.campaigns],
        )
    else:
        doc.add_paragraph("No groups of five or more identical or near-identical responses.")
    doc.add_heading("Method", level=1)
    for line in report.method:
        doc.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
