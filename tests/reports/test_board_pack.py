"""The board update as a paper ready to send: the RAG table, the trend and milestone charts,
the escalated risks and the audit witness line, in Word, PDF and HTML."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from stpkit.chain import PRINTED_PREFIX, Head, printed
from stpkit.programme import Rag
from stpkit.reports import blocks
from stpkit.reports.board_pack import (
    BoardPack,
    MilestoneLine,
    PackSection,
    RiskLine,
    charted_milestones,
    rag_table,
    to_docx,
    to_html,
    to_pdf,
)
from stpkit.reports.board_update import DiscussedItem, WorkstreamProgress, compose

WORKSTREAMS = ["Prevention", "Local care", "Hospital care"]
PERIODS = ["Dec 2017", "Jan 2018", "Feb 2018"]
HEAD = Head(42, "ab" * 32, "cd" * 32)


def pack() -> BoardPack:
    ratings = {
        ("Prevention", "Dec 2017"): Rag.GREEN,
        ("Prevention", "Jan 2018"): Rag.AMBER_GREEN,
        ("Prevention", "Feb 2018"): Rag.AMBER,
        ("Local care", "Jan 2018"): Rag.AMBER_RED,
        ("Local care", "Feb 2018"): Rag.RED,
        ("Hospital care", "Feb 2018"): Rag.AMBER,
    }
    update = compose(
        partnership="Kent and Medway STP",
        meeting_date=date(2018, 3, 5),
        discussed=[DiscussedItem("Mental health ‘deep dive’", "The Board had a deep dive.")],
        decisions=["The Board approved the 2018/19 plans."],
        progress=[WorkstreamProgress("Prevention", "Amber", "On track.")],
        period_label="February 2018",
    )
    milestones = (
        MilestoneLine(
            "Prevention",
            "Smoking service live",
            date(2018, 4, 1),
            date(2018, 6, 1),
            "at_risk",
            date(2018, 1, 1),
            on_path=True,
        ),
        MilestoneLine(
            "Local care",
            "Hubs designed",
            date(2018, 5, 1),
            date(2018, 5, 1),
            "in_progress",
            date(2017, 11, 1),
        ),
        MilestoneLine(
            "Local care",
            "Old milestone done",
            date(2017, 5, 1),
            date(2017, 5, 1),
            "complete",
            None,
            done=True,
        ),
        MilestoneLine(
            "Hospital care", "Far future", date(2021, 5, 1), date(2021, 5, 1), "not_started", None
        ),
    )
    return BoardPack(
        update=update,
        as_at=date(2018, 3, 5),
        rag=rag_table(WORKSTREAMS, PERIODS, ratings),
        milestones=milestones,
        risks=(
            RiskLine(
                "Workforce shortages",
                "Local care",
                16,
                "Director of workforce",
                "Recruitment campaign",
            ),
        ),
        escalation_threshold=12,
        sections=(PackSection("The three gaps", intro=("Care and quality gap: Red.",)),),
        witness=(printed(HEAD, "web-change-history"),),
    )


def test_the_rag_table_has_every_workstream_and_the_programme_row() -> None:
    table = pack().rag
    assert table.rows[-1] == ("Programme (worst)", ("Green", "Amber/Red", "Red"))
    assert table.rows[1] == ("Local care", (None, "Amber/Red", "Red"))
    assert table.latest(2).periods == ("Jan 2018", "Feb 2018")
    assert len(table.points()) == 6 + 3


def test_the_gantt_keeps_open_milestones_due_within_a_year_and_the_path() -> None:
    shown = [m.title for m in charted_milestones(pack())]
    assert shown == ["Smoking service live", "Hubs designed"]


def test_word_paper_has_the_rag_table_charts_risks_and_witness() -> None:
    document = Document(io.BytesIO(to_docx(pack())))
    rag, slipping, risks = document.tables[:3]
    cells = [[c.text for c in row.cells] for row in rag.rows]
    assert cells[0] == ["Workstream", *PERIODS]
    assert cells[2] == ["Local care", "–", "Amber/Red", "Red"]
    assert cells[-1] == ["Programme (worst)", "Green", "Amber/Red", "Red"]
    # The Red cell is shaded red (the colour goes with the text, not instead of it).
    shading = rag.rows[2].cells[3]._tc.tcPr.xpath("./w:shd")[0]
    assert shading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill") == (
        "d5281b"
    )
    assert [c.text for c in slipping.rows[1].cells] == [
        "Smoking service live",
        "Prevention",
        "1 Apr 2018",
        "1 Jun 2018",
        "61",
    ]
    assert [c.text for c in risks.rows[1].cells][:3] == ["Workforce shortages", "Local care", "16"]
    assert len(document.inline_shapes) == 2  # the trend and the milestones chart
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The three gaps" in text and "Care and quality gap: Red." in text
    assert f"{PRINTED_PREFIX} web-change-history 42 {'ab' * 32}" in text
    assert "The Board approved the 2018/19 plans." in text
    # Headings come first: a board member reads the summary before the meeting's text.
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("Delivery confidence") < headings.index(
        "Update from the Programme Board meeting held on 5 March 2018"
    )


def test_pdf_paper_has_the_same_content_and_two_images() -> None:
    reader = PdfReader(io.BytesIO(to_pdf(pack())))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Programme (worst)",
        "Amber/Red",
        "Workforce shortages",
        "Smoking service live",
        "Mental health ‘deep dive’",
        f"{PRINTED_PREFIX} web-change-history 42 {'ab' * 32}",
    ):
        assert expected in text, expected
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2
    assert reader.metadata is not None and reader.metadata.title.endswith("March 2018")


def test_html_paper_inlines_the_charts() -> None:
    page = to_html(pack())
    assert page.count('src="data:image/png;base64,') == 2
    assert '<td style="background:#d5281b;color:#ffffff">Red</td>' in page


def test_no_escalated_risk_and_no_updates_say_so() -> None:
    empty = BoardPack(
        update=pack().update,
        as_at=date(2018, 3, 5),
        rag=rag_table(WORKSTREAMS, [], {}),
    )
    document = Document(io.BytesIO(to_docx(empty)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No accepted workstream updates yet." in text
    assert "No risk is escalated to the board." in text
    assert "No open milestones fall due in the period." in text


def test_pdf_text_outside_the_font_is_replaced_not_dropped() -> None:
    paper = blocks.Paper("T", (blocks.Para("score ≥ 12, 40 m², ☃"),))
    text = PdfReader(io.BytesIO(blocks.to_pdf(paper))).pages[0].extract_text()
    assert "score >= 12, 40 m², ?" in text
    with pytest.raises(blocks.DocumentError, match="no title"):
        blocks.to_pdf(blocks.Paper(" ", ()))


def test_a_large_programme_charts_the_path_and_the_milestones_due_soonest() -> None:
    base = pack()
    many = tuple(
        MilestoneLine(
            "Local care", f"M{i:03}", date(2018, 4, 1), date(2018, 4, 1 + i % 28), "in_progress"
        )
        for i in range(100)
    )
    late_path = MilestoneLine(
        "Estates", "Works", date(2020, 1, 1), date(2020, 1, 1), "not_started", on_path=True
    )
    big = BoardPack(
        update=base.update, as_at=base.as_at, rag=base.rag, milestones=(*many, late_path)
    )
    shown = charted_milestones(big)
    assert len(shown) == 40 and shown[-1] is late_path
    assert max(m.forecast_date for m in shown[:-1]) <= min(
        m.forecast_date for m in many if m not in shown
    )
