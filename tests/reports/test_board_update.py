"""The public board update: composed from meeting data, edited as text, written as Word."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from stpkit.reports.board_update import (
    BoardUpdateError,
    DiscussedItem,
    WorkstreamProgress,
    body_text,
    compose,
    parse_body,
    to_docx,
    to_html,
    with_body,
    write,
)

PARTNERSHIP = "Kent and Medway Sustainability and Transformation Partnership"


def march_2018():
    return compose(
        partnership=PARTNERSHIP,
        meeting_date=date(2018, 3, 5),
        discussed=[
            DiscussedItem("Mental health ‘deep dive’", "The Board had a deep dive.\n\nSecond."),
            DiscussedItem("STP planning and budget 2018/19", "Plans received."),
        ],
        decisions=["The Board approved the 2018/19 plans and budgets."],
        progress=[WorkstreamProgress("Prevention", "Amber/Green", "On track.")],
        period_label="February 2018",
    )


def test_compose_follows_the_published_update() -> None:
    update = march_2018()
    assert update.title.endswith("Programme Board Meeting Update, March 2018")
    assert update.meeting_heading == "Update from the Programme Board meeting held on 5 March 2018"
    headings = [s.heading for s in update.sections]
    assert headings == [
        "Mental health ‘deep dive’",
        "STP planning and budget 2018/19",
        "Decisions",
        "Workstream progress",
    ]
    assert update.sections[0].paragraphs() == ["The Board had a deep dive.", "Second."]
    assert update.sections[3].bullets() == ["Prevention (Amber/Green): On track."]


def test_body_text_round_trips() -> None:
    update = march_2018()
    assert parse_body(body_text(update)) == update.sections


def test_edited_text_replaces_the_sections() -> None:
    edited = with_body(
        march_2018(), "## Recruitment update\nAbout 130\napplications.\n\n- one\n- two\n"
    )
    assert [s.heading for s in edited.sections] == ["Recruitment update"]
    assert edited.sections[0].paragraphs() == ["About 130 applications."]
    assert edited.sections[0].bullets() == ["one", "two"]


def test_text_before_the_first_heading_is_refused_with_its_line() -> None:
    with pytest.raises(BoardUpdateError, match="line 2: text before the first heading"):
        parse_body("\nstray words\n## Heading\n")
    with pytest.raises(BoardUpdateError, match="line 1: a heading needs some text"):
        parse_body("## \n")


def test_html_is_escaped() -> None:
    update = with_body(march_2018(), "## A <b> & c\n<script>x</script>\n")
    fragment = to_html(update, heading_level=2)
    assert "<h4>A &lt;b&gt; &amp; c</h4>" in fragment
    assert "<script>" not in fragment
    assert fragment.startswith("<h2>")


def test_word_document_has_the_headings_and_bullets(tmp_path: Path) -> None:
    document = Document(io.BytesIO(to_docx(march_2018())))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", march_2018().title)
    assert ("Heading 1", "Update from the Programme Board meeting held on 5 March 2018") in styled
    assert ("Heading 2", "Decisions") in styled
    assert ("List Bullet", "The Board approved the 2018/19 plans and budgets.") in styled
    write(march_2018(), tmp_path / "u.html")
    assert "<h1>" in (tmp_path / "u.html").read_text(encoding="utf-8")
    with pytest.raises(BoardUpdateError, match="cannot write"):
        write(march_2018(), tmp_path / "missing-dir" / "u.docx")
