"""Importing a survey export: good rows load, broken rows are reported with their reasons."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from stpkit.consultation.errors import ResponseFileError
from stpkit.consultation.importing import import_responses
from stpkit.consultation.synthetic import STROKE_SURVEY

HEADER = (
    "response_id,respondent_type,age_band,sex,disability,postcode_district,lsoa_code,"
    "q1_agree,q2_option,q3_matters,q4_comments"
)
OPT = "No preference"
ROWS = [
    f"R1,public,45-64,Female,No,ME14,E01024320,Agree,{OPT},Travel time;Ambulance response,Too far",
    f"R2,Staff,,Male,No,CT1,,Strongly disagree,{OPT},,Keep it local",  # type is case-blind
    f",public,45-64,Female,No,ME14,,Agree,{OPT},,no id",  # row 4: blank ID
    f"R1,public,45-64,Female,No,ME14,,Agree,{OPT},,repeat",  # row 5: repeated ID
    f"R5,visitor,45-64,Female,No,ME14,,Agree,{OPT},,bad type",  # row 6
    f"R6,public,45-64,Female,No,ME14,,Agree a lot,{OPT},,bad likert",  # row 7
    f"R7,public,45-64,Female,No,ME14,XYZ,Agree,{OPT},Teleportation,two errors",  # row 8
    f"R8,public,45-64,Female,No,not a postcode,,Agree,{OPT},,bad postcode",  # row 9
    "R9,organisation,18-24,Female,No,TN24,,,,,",  # row 10: age band not listed
]


def csv_bytes(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_broken_rows_are_reported_and_good_rows_loaded() -> None:
    result = import_responses(csv_bytes(ROWS), STROKE_SURVEY, "responses.csv")
    assert result.rows_read == 9
    assert [r.response_id for r in result.responses] == ["R1", "R2"]
    assert result.rejected_rows == [4, 5, 6, 7, 8, 9, 10]
    by_row = {(e.row, e.column) for e in result.errors}
    assert (4, "response_id") in by_row
    assert (5, "response_id") in by_row
    assert (6, "respondent_type") in by_row
    assert (7, "q1_agree") in by_row
    assert {(8, "lsoa_code"), (8, "q3_matters")} <= by_row  # every problem in a row is listed
    assert (9, "postcode_district") in by_row
    assert (10, "age_band") in by_row
    repeated = next(e for e in result.errors if e.row == 5)
    assert "repeats row 2" in repeated.reason
    assert "responses.csv, row 8, column 'q3_matters'" in str(
        next(e for e in result.errors if e.column == "q3_matters")
    )


def test_loaded_rows_keep_answers_demographics_and_area() -> None:
    result = import_responses(csv_bytes(ROWS[:2]), STROKE_SURVEY, "responses.csv")
    first, second = result.responses
    assert first.answers["q3_matters"] == ["Travel time", "Ambulance response"]
    assert first.texts["q4_comments"] == "Too far"
    assert first.area == "Maidstone"  # from the LSOA's name in the reference data
    assert second.respondent_type == "staff"
    assert second.demographics["age_band"] == "Not stated"
    assert second.area == "CT1"  # no LSOA: grouped by postcode district


def test_missing_columns_refuse_the_whole_file() -> None:
    data = b"response_id,respondent_type\nR1,public\n"
    with pytest.raises(ResponseFileError, match=r"responses\.csv: missing column"):
        import_responses(data, STROKE_SURVEY, "responses.csv")


def test_unknown_file_type_is_refused() -> None:
    with pytest.raises(ResponseFileError, match=r"expected a \.csv or \.xlsx"):
        import_responses(b"anything", STROKE_SURVEY, "responses.pdf")


def test_excel_export_imports_like_csv() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in ROWS[:3]:
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_responses(buffer.getvalue(), STROKE_SURVEY, "responses.xlsx")
    assert [r.response_id for r in result.responses] == ["R1", "R2"]
    assert result.rejected_rows == [4]


def test_a_row_cut_short_is_refused_not_padded_with_blanks() -> None:
    cut = "R3,public,45-64,Female,No,ME14,E01024320,Agree"  # the last three columns lost
    result = import_responses(csv_bytes([ROWS[0], cut, ROWS[1]]), STROKE_SURVEY, "r.csv")
    assert [r.response_id for r in result.responses] == ["R1", "R2"]
    assert result.rejected_rows == [3]
    error = result.errors[0]
    assert "cut short" in error.reason and error.column == "q2_option"


def test_an_unknown_column_is_named_not_ignored() -> None:
    header = HEADER + ",ip_address"
    data = ("\n".join([header, ROWS[0] + ",10.0.0.1"]) + "\n").encode()
    with pytest.raises(ResponseFileError, match=r"responses\.csv, row 1, column 'ip_address'"):
        import_responses(data, STROKE_SURVEY, "responses.csv")
