"""The Excel import template: wrong columns refused, every bad row reported with its reason."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from stpkit.programme.errors import ImportFormatError
from stpkit.programme.importing import (
    MILESTONES,
    RISKS,
    parse_rows,
    parse_workbook,
    template_bytes,
)


def workbook(headings: list[str], rows: list[list[Any]], sheet: str = "Milestones") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(headings)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


M_HEAD = [c.heading for c in MILESTONES.columns]
R_HEAD = [c.heading for c in RISKS.columns]


def test_the_template_example_is_valid_but_never_imported() -> None:
    for template in (MILESTONES, RISKS):
        book = load_workbook(io.BytesIO(template_bytes(template)))
        assert book.sheetnames == [template.sheet, "Example", "Notes"]
        # the data sheet has only its headings: the downloaded template imports nothing
        with pytest.raises(ImportFormatError, match="no rows under the headings"):
            parse_workbook(template_bytes(template), template)
        # the example (on its own sheet) is a valid row, so it shows the format truly
        example = [list(r) for r in book["Example"].iter_rows(values_only=True)][:2]
        keys = [c.key for c in template.columns]
        assert parse_rows([(2, dict(zip(keys, example[1], strict=True)))], template).errors == []
        # ... and under the headings it is recognised and refused as the example
        with pytest.raises(ImportFormatError, match="row 2: the only row is the template's ex"):
            parse_workbook(workbook(example[0], [example[1]], template.sheet), template)


def test_an_old_template_with_its_example_still_under_the_headings_imports_only_real_rows() -> None:
    real = ["Estates", "Estates workbook", "2017-11-01", "2018-04-30", None, None, None]
    result = parse_workbook(workbook(M_HEAD, [list(MILESTONES.example), real]), MILESTONES)
    assert result.errors == []
    assert [r.values["title"] for r in result.rows] == ["Estates workbook"]
    assert result.rows[0].row == 3


def test_good_milestone_rows_convert_dates_statuses_and_defaults() -> None:
    data = workbook(
        M_HEAD,
        [
            [
                "hospital-care",
                "Launch consultation",
                None,
                datetime(2018, 2, 1),
                "08/03/2018",
                "Stroke SRO",
                "in progress",
            ],
            ["Estates", "Estates workbook", "2017-11-01", "2018-04-30", None, None, None],
        ],
    )
    result = parse_workbook(data, MILESTONES)
    assert result.errors == []
    first, second = (r.values for r in result.rows)
    assert first["baseline_date"] == date(2018, 2, 1)
    assert first["forecast_date"] == date(2018, 3, 8)
    assert first["status"] == "in_progress"
    assert second["start_date"] == date(2017, 11, 1) and second["forecast_date"] is None
    assert [r.row for r in result.rows] == [2, 3]


def test_every_bad_row_is_reported_with_row_column_and_reason() -> None:
    data = workbook(
        M_HEAD,
        [
            ["digital", "Fine", None, "2018-01-01", None, None, None],
            ["digital", None, None, "31/02/2018", None, None, "Done-ish"],
            [],
            ["digital", "Backwards", "2018-06-01", "2018-01-01", None, None, None],
        ],
    )
    result = parse_workbook(data, MILESTONES)
    assert [r.row for r in result.rows] == [2]
    messages = [str(e) for e in result.errors]
    assert "row 3, Title: is required" in messages
    assert any(m.startswith("row 3, Baseline date:") and "31/02/2018" in m for m in messages)
    assert any(m.startswith("row 3, Status:") and "Not started" in m for m in messages)
    assert any(m.startswith("row 5, Start date:") for m in messages)


def test_risk_scores_outside_1_to_5_are_row_errors() -> None:
    data = workbook(
        R_HEAD,
        [
            [None, "Capital", "Risk", None, None, 4, 5, None, None, None, None],
            ["workforce", "Agency", "Risk", None, None, 6, 0, 3, None, None, "soon"],
        ],
        sheet="Risks",
    )
    result = parse_workbook(data, RISKS)
    assert len(result.rows) == 1 and result.rows[0].values["workstream"] is None
    by_column = {e.column: e.message for e in result.errors}
    assert all(e.row == 3 for e in result.errors)
    assert "from 1 to 5" in by_column["Likelihood"]
    assert "from 1 to 5" in by_column["Consequence"]
    assert "not a date" in by_column["Review date"]


def test_target_needs_both_levels() -> None:
    data = workbook(R_HEAD, [["", "T", "", "", "", 2, 2, 3, None, "", None]], sheet="Risks")
    result = parse_workbook(data, RISKS)
    assert [e.column for e in result.errors] == ["Target likelihood"]


def test_wrong_columns_are_refused_naming_missing_and_unknown() -> None:
    data = workbook(["Workstream", "Name", "Due"], [["digital", "x", "2018-01-01"]])
    with pytest.raises(ImportFormatError) as err:
        parse_workbook(data, MILESTONES, "plan.xlsx")
    message = str(err.value)
    assert "plan.xlsx" in message and "row 1" in message
    assert "missing column(s): Title, Baseline date" in message
    assert "unknown column(s): Name, Due" in message


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(ImportFormatError, match="not an Excel workbook"):
        parse_workbook(b"title,date\nx,2018", MILESTONES, "plan.csv")


def test_a_workbook_with_headings_but_no_rows_is_refused() -> None:
    data = workbook(M_HEAD, [[], [None, None]])
    with pytest.raises(ImportFormatError, match="no rows under the headings") as err:
        parse_workbook(data, MILESTONES, "empty.xlsx")
    assert "empty.xlsx" in str(err.value)


def test_text_longer_than_the_register_stores_is_a_row_error() -> None:
    data = workbook(
        R_HEAD,
        [[None, "T" * 201, "Risk", "x" * 5000, "O" * 200, 2, 2, None, None, None, None]],
        sheet="Risks",
    )
    result = parse_workbook(data, RISKS)
    assert result.rows == []
    assert [(e.row, e.column) for e in result.errors] == [(2, "Title")]
    assert "201 characters" in result.errors[0].message and "200" in result.errors[0].message
