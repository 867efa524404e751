"""Exports never carry a live formula, and numbers, dates and accents survive."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from stpkit.exports import csv_bytes, is_formula_like, neutralise, xlsx_bytes, xlsx_workbook_bytes

ATTACKS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '  =HYPERLINK("http://example.invalid","x")',
    "\uff1dcmd|' /C calc'!A0",
]
COLUMNS = [("text", "Text"), ("n", "Number"), ("when", "When")]


@pytest.mark.parametrize("attack", ATTACKS)
def test_formula_like_text_is_neutralised(attack: str) -> None:
    assert is_formula_like(attack)
    assert neutralise(attack) == "'" + attack


@pytest.mark.parametrize("plain", ["-3.5", "+44", "1,000", "Save our hospital", "", "a=b", "50%"])
def test_plain_text_and_numbers_in_text_are_untouched(plain: str) -> None:
    assert neutralise(plain) == plain


def test_numbers_keep_their_type() -> None:
    assert neutralise(-5) == -5
    assert neutralise(2.5) == 2.5


@pytest.mark.parametrize("attack", ATTACKS)
def test_csv_cells_cannot_start_a_formula(attack: str) -> None:
    data = csv_bytes([{"text": attack, "n": -4, "when": date(2018, 3, 6)}], COLUMNS)
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Text", "Number", "When"]
    assert rows[1][0] == "'" + attack
    assert rows[1][1] == "-4"
    assert rows[1][2] == "2018-03-06"


@pytest.mark.parametrize("attack", ATTACKS)
def test_excel_text_cells_are_strings_never_formulas(attack: str) -> None:
    data = xlsx_bytes([{"text": attack, "n": -4, "when": date(2018, 3, 6)}], COLUMNS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value == attack
    assert ws["B2"].value == -4 and ws["B2"].data_type == "n"
    assert ws["C2"].value.date() == date(2018, 3, 6)


def test_workbook_sheet_titles_follow_excel_rules() -> None:
    long = "Risks: escalated / by workstream [2018]"
    data = xlsx_workbook_bytes([(long, [], COLUMNS), (long, [], COLUMNS)])
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(names) == 2 and len(set(n.lower() for n in names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


@given(st.text(max_size=40))
def test_no_csv_cell_ever_starts_with_a_formula_character(text: str) -> None:
    data = csv_bytes([{"text": text}], [("text", "Text")])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    value = rows[1][0] if len(rows) > 1 and rows[1] else ""
    head = value.lstrip(" ")
    if head.startswith(("=", "+", "-", "@", "\t", "\r", "\n")):
        assert re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?", head.strip())
