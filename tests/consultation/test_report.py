"""The report's figures: themes by group and stance, protected by disclosure control."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from stpkit.consultation.assignment import Assignment
from stpkit.consultation.report import build_report, fmt_count, fmt_percent
from stpkit.consultation.survey import LIKERT_5, Question, QuestionKind, Response, Survey
from stpkit.consultation.themes import Theme
from stpkit.disclosure import POLICIES
from stpkit.reports import report_docx, report_html

OPEN = Question("q2", "Comments?", QuestionKind.OPEN)
SURVEY = Survey((Question("q1", "Agree?", QuestionKind.LIKERT, LIKERT_5), OPEN))


def _responses() -> list[Response]:
    """40 respondents: 30 public and 10 staff; 36 answered the open question."""
    out = []
    for i in range(40):
        out.append(
            Response(
                response_id=f"R{i}",
                respondent_type="public" if i < 30 else "staff",
                demographics={},
                postcode_district="ME14",
                lsoa_code="",
                area="ME14",
                answers={"q1": "Agree"},
                texts={"q2": "" if i >= 36 else f"text {i}"},
            )
        )
    return out


def test_theme_counts_are_protected_and_small_ones_suppressed_not_zeroed() -> None:
    responses = _responses()
    # Travel: R0-R22 (23, all public); Staffing: R23-R25 (3); R26-R35 unthemed (10).
    assignments = [Assignment(f"R{i}", "t1", 0.9) for i in range(23)]
    assignments += [Assignment(f"R{i}", "t2", 0.8) for i in range(23, 26)]
    assignments += [Assignment(f"R{i}", None, 0.0) for i in range(26, 40)]
    stances = {f"R{i}": "disagree" if i < 12 else "agree" for i in range(40)}
    report = build_report(
        "Test consultation",
        "Stroke services",
        SURVEY,
        responses,
        {"q2": [Theme("t1", "Travel"), Theme("t2", "Staffing")]},
        {"q2": assignments},
        {"q2": stances},
        {"q2": {"t1": ["It is too far to travel."], "t2": []}},
        policy=POLICIES["opensafely"],
        generated=date(2026, 11, 23),
    )
    # OpenSAFELY: <= 7 redacted, others rounded to the nearest 5.
    assert report.respondents == 40 and report.by_type == {
        "public": 30,
        "staff": 10,
        "organisation": 0,
    }
    (summary,) = report.open
    assert summary.answered == 35  # 36 rounded to the nearest 5
    travel, staffing = summary.themes
    assert (travel.label, travel.count) == ("Travel", 25)  # 23 -> 25
    assert travel.percent == 100 * 25 / 35  # from the published figures only
    assert travel.by_type == {"public": 25, "staff": 0, "organisation": 0}
    assert travel.stance == {"agree": 10, "disagree": 10, "unclear": 0}  # 11 -> 10, 12 -> 10
    assert (staffing.count, staffing.percent) == (None, None)  # 3 is suppressed, not "0"
    assert fmt_count(staffing.count) == "*" and fmt_percent(staffing.percent) == "*"
    assert staffing.stance["agree"] is None
    assert summary.unthemed == 10
    assert travel.quotes == ["It is too far to travel."]
    # Both layouts carry the same protected figures.
    html = report_html(report)
    assert "Service change programme: Stroke services" in html and "It is too far" in html
    doc = Document(io.BytesIO(report_docx(report)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Staffing" in cells and "*" in cells and "3" not in cells
