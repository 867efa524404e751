"""The shared table reader: row numbers, rows cut short, unreadable files and columns the
importer does not know, each reported with file, row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from stpkit.tabular import TableError, column_issues, read_table


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_rows_skipped() -> None:
    table = read_table(b"\xef\xbb\xbfA,b\n1,2\n,\n3,4\n", "t.csv", lower_case_header=True)
    assert table.header == ["a", "b"]
    assert table.rows == [(2, {"a": "1", "b": "2"}), (4, {"a": "3", "b": "4"})]


def test_every_row_cut_short_or_too_long_is_refused_by_number() -> None:
    with pytest.raises(TableError) as caught:
        read_table(b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n", "t.csv")
    assert [(i.row, i.file) for i in caught.value.issues] == [(3, "t.csv"), (4, "t.csv")]
    assert "cut short" in caught.value.issues[0].reason


def test_a_field_over_the_csv_limit_is_an_issue_with_its_row() -> None:
    data = b"a,b\n1,2\n3," + b"x" * (200 * 1024) + b"\n"
    with pytest.raises(TableError) as caught:
        read_table(data, "big.csv")
    issue = caught.value.issues[0]
    assert issue.row == 3 and "not a readable CSV row" in issue.reason


def test_unreadable_and_empty_files_are_refused() -> None:
    with pytest.raises(TableError, match="not UTF-8"):
        read_table(b"a,b\n\xff\xfe,1\n", "latin.csv")
    with pytest.raises(TableError, match="not a readable Excel file"):
        read_table(b"not a zip", "broken.xlsx")
    with pytest.raises(TableError, match="empty"):
        read_table(b"", "empty.csv")


def test_excel_first_sheet_with_whole_numbers_as_written() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Code", "Amount", None])
    ws.append(["X", 12.0])
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), "t.xlsx")
    assert table.header == ["Code", "Amount"]
    assert table.rows == [(2, {"Code": "X", "Amount": "12"})]


def test_missing_and_unknown_columns_are_named() -> None:
    issues = column_issues("f.csv", ["code", "amont", "note"], ["code", "amount"], ["note"])
    assert [(i.row, i.column) for i in issues] == [(1, "amount"), (1, "amont")]
    assert "unknown column 'amont'" in str(issues[1]) and "f.csv, row 1" in str(issues[1])
    assert "code, amount, note" in issues[1].reason
    assert column_issues("f.csv", ["CODE"], ["code"], case_sensitive=False) == []
