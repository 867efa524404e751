"""A workstream's one-page highlight report: RAG, key milestones, top risks, asks."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from pypdf import PdfReader

from stpkit.reports.board_pack import MilestoneLine, RiskLine
from stpkit.reports.highlight import (
    Highlight,
    asks_from_text,
    key_milestones,
    to_docx,
    to_html,
    to_pdf,
)


def milestone(title: str, baseline: date, forecast: date, done: bool = False) -> MilestoneLine:
    status = "complete" if done else "in_progress"
    return MilestoneLine("Local care", title, baseline, forecast, status, None, done=done)


MILESTONES = (
    milestone("Done long ago", date(2017, 1, 1), date(2017, 1, 1), done=True),
    milestone("Hubs designed", date(2018, 4, 1), date(2018, 4, 1)),
    milestone("Far off", date(2020, 1, 1), date(2020, 1, 1)),
    milestone("Late far off", date(2020, 6, 1), date(2020, 9, 1)),
    milestone("Care homes", date(2018, 5, 1), date(2018, 5, 1)),
)
RISKS = tuple(RiskLine(f"Risk {s}", "Local care", s, "Owner", "Plan") for s in (4, 16, 9, 12))


def highlight() -> Highlight:
    return Highlight(
        workstream="Local care",
        period="February 2018",
        as_at=date(2018, 2, 28),
        confidence="Amber/Red",
        lead="Jo Lead",
        sro="Accountable Officer",
        summary="Hubs are\n being designed.",
        recent=(("Jan 2018", "Amber"), ("Feb 2018", "Amber/Red")),
        milestones=MILESTONES,
        risks=RISKS,
        asks=asks_from_text("- Approve the hub business case\n\n* Release £2m of capital\n"),
    )


def test_asks_are_one_per_line() -> None:
    assert highlight().asks == ("Approve the hub business case", "Release £2m of capital")


def test_key_milestones_put_slipping_ones_in_and_leave_completed_out() -> None:
    titles = [m.title for m in key_milestones(MILESTONES, count=3)]
    assert titles == ["Hubs designed", "Care homes", "Late far off"]


def test_word_report_has_rag_milestones_top_three_risks_and_asks() -> None:
    document = Document(io.BytesIO(to_docx(highlight())))
    rag, milestones, risks = document.tables
    assert [c.text for c in rag.rows[1].cells] == ["Amber", "Amber/Red"]
    assert [r.cells[0].text for r in milestones.rows[1:]] == [
        "Hubs designed",
        "Care homes",
        "Far off",
        "Late far off",
    ]
    assert [r.cells[0].text for r in risks.rows[1:]] == ["Risk 16", "Risk 12", "Risk 9"]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Approve the hub business case", "Release £2m of capital"]
    assert document.paragraphs[0].text == "Local care: highlight report, February 2018"


def test_pdf_report_fits_on_one_page_and_html_says_the_same() -> None:
    reader = PdfReader(io.BytesIO(to_pdf(highlight())))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("Delivery confidence: Amber/Red", "Risk 16", "Release £2m of capital"):
        assert expected in text
    page = to_html(highlight())
    assert "<li>Approve the hub business case</li>" in page and "Risk 4" not in page


def test_a_report_with_nothing_to_ask_says_so() -> None:
    empty = Highlight("Prevention", "February 2018", date(2018, 2, 28), "Green")
    text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(empty))).paragraphs)
    assert "No asks of the board this month." in text
    assert "No open milestones." in text and "No open risks." in text
