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
        reader = csv.reader(io.StringIO(text))
        try:
            raw = [[c.strip() for c in row] for row in reader]
        except csv.Error as exc:  # e.g. a field over csv's 128 KiB limit, or a stray quote
            raise InputError(
                [InputIssue(name, reader.line_num, "-", f"not a readable CSV row ({exc})")]
            ) from None
    if not raw:
        raise InputError([InputIssue(name, 0, "-", "the file is empty")])
    columns = [c.strip().lower() for c in raw[0]]
    rows = []
    cut_short: list[InputIssue] = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        if len(values) > len(columns) and not any(values[len(columns) :]):
            values = values[: len(columns)]  # empty cells beyond the header are not data
        if len(values) != len(columns):
            cut_short.append(
                InputIssue(
                    name,
                    number,
                    columns[min(len(values), len(columns) - 1)] if columns else "-",
                    f"the row has {len(values)} values but the header has {len(columns)} "
                    "columns: it is cut short or has extra separators",
                )
            )
            continue
        rows.append((number, dict(zip(columns, values, strict=True))))
    if cut_short:
        raise InputError(cut_short)
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
