"""Read a CSV or Excel upload into rows of text keyed by lower-case column name.

Every importer works on the same shape so that row numbers in messages match what a user
sees in a spreadsheet (the header is row 1, the first record row 2).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from stpkit.productivity.errors import InputError, InputIssue


@dataclass(frozen=True)
class Table:
    """The rows of one file: (row number, {column: text}) and the file's name."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes | Path, name: str | None = None) -> Table:
    """Rows of a .csv or .xlsx file (first sheet); blank rows are skipped."""
    if isinstance(data, Path):
        name = name or data.name
        data = data.read_bytes()
    name = name or "upload"
    if name.lower().endswith((".xlsx", ".xlsm")):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InputError(
                [InputIssue(name, 0, "-", f"not a readable Excel file ({exc})")]
            ) from exc
        raw = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(
                [InputIssue(name, 0, "-", "not UTF-8 text: save the CSV as UTF-8")]
            ) from None
        raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    if not raw:
        raise InputError([InputIssue(name, 0, "-", "the file is empty")])
    columns = [c.strip().lower() for c in raw[0]]
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        rows.append(
            (number, {c: (values[i] if i < len(values) else "") for i, c in enumerate(columns)})
        )
    return Table(name, columns, rows)


def require_columns(table: Table, needed: list[str], aliases: dict[str, str] | None = None) -> None:
    """Refuse a file that lacks a needed column (aliases map other spellings to ours)."""
    for alias, column in (aliases or {}).items():
        if alias in table.columns and column not in table.columns:
            table.columns[table.columns.index(alias)] = column
            for _, row in table.rows:
                row[column] = row.pop(alias)
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(
            [
                InputIssue(
                    table.name,
                    1,
                    c,
                    f"column is missing (the file has: {', '.join(table.columns)})",
                )
                for c in missing
            ]
        )


def parse_number(value: str) -> float | None:
    """A number as people type it in spreadsheets (commas, a pound sign); None if not one."""
    cleaned = value.replace(",", "").replace("£", "").strip()
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None
