"""Read a CSV or Excel file into numbered rows, and check its columns, the same way for
every importer (productivity, enablers, consultation, system, ...).

What every importer needs and each used to do (or forget) for itself:

- CSV (UTF-8, with or without a byte-order mark) or the first sheet of an Excel workbook,
  chosen by the file name; a field over the CSV module's limit, a stray quote or a damaged
  workbook is an issue with its row number, never an uncaught exception;
- row numbers as a spreadsheet shows them (the header is row 1), blank rows skipped;
- a row cut short (or with extra values) is refused with its number, never padded with
  blanks and counted valid;
- the header checked against what the importer knows: a required column missing, and a
  column it does not know, are both refused, naming the file, the column and the columns
  it does know. An unknown column is refused rather than ignored because it is most often
  a misspelt optional column whose values would otherwise be dropped without a word.

Problems are `TableIssue`s (file, row, column, reason), raised together in `TableError`
so that one run lists them all; each engine turns them into its own error type.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class TableIssue:
    """One problem: where (file, spreadsheet row, column) and why."""

    file: str
    row: int  # 1 is the header row; 0 when the whole file is wrong
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, column '{self.column}': {self.reason}"


class TableError(ValueError):
    """A file was refused; `issues` lists every problem found."""

    def __init__(self, issues: list[TableIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues[:10]))


@dataclass(frozen=True)
class Table:
    """One file's header (as written, stripped) and rows: (row number, {column: text})."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_rows(data: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(EXCEL_SUFFIXES):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise TableError(
                [TableIssue(name, 0, "-", f"not a readable Excel file ({exc})")]
            ) from None
        workbook.close()
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            [TableIssue(name, 0, "-", "not UTF-8 text: save the CSV as UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text))
    try:
        return [[c.strip() for c in row] for row in reader]
    except csv.Error as exc:  # a field over csv's 128 KiB limit, or a stray quote
        reason = f"not a readable CSV row ({exc})"
        raise TableError([TableIssue(name, reader.line_num, "-", reason)]) from None


def read_table(
    data: bytes | Path, name: str | None = None, *, lower_case_header: bool = False
) -> Table:
    """The rows of a .csv or .xlsx file (its first sheet), keyed by header; raises
    TableError for an unreadable or empty file, or listing every row cut short."""
    if isinstance(data, Path):
        name = name or data.name
        data = data.read_bytes()
    name = name or "upload"
    raw = _raw_rows(data, name)
    if not raw or not any(raw[0]):
        raise TableError([TableIssue(name, 0, "-", "the file is empty (no header row)")])
    header = list(raw[0])
    while header and not header[-1]:
        header.pop()  # empty cells after the last heading (Excel often has them)
    if lower_case_header:
        header = [h.lower() for h in header]
    rows: list[tuple[int, dict[str, str]]] = []
    cut_short: list[TableIssue] = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        if len(values) > len(header) and not any(values[len(header) :]):
            values = values[: len(header)]  # empty cells beyond the header are not data
        if len(values) < len(header) and name.lower().endswith(EXCEL_SUFFIXES):
            values = values + [""] * (len(header) - len(values))  # a sheet's blank tail
        if len(values) != len(header):
            cut_short.append(
                TableIssue(
                    name,
                    number,
                    header[min(len(values), len(header) - 1)],
                    f"the row has {len(values)} values but the header has {len(header)} "
                    "columns: it is cut short or has extra separators",
                )
            )
            continue
        rows.append((number, dict(zip(header, values, strict=True))))
    if cut_short:
        raise TableError(cut_short)
    return Table(name, header, rows)


def column_issues(
    name: str,
    header: Iterable[str],
    required: Iterable[str],
    optional: Iterable[str] = (),
    *,
    case_sensitive: bool = True,
) -> list[TableIssue]:
    """Required columns missing from `header`, and columns in it that are neither required
    nor optional, as issues on row 1 naming the columns the importer knows."""
    required, optional = list(required), list(optional)

    def key(column: str) -> str:
        return column if case_sensitive else column.lower()

    present = {key(h) for h in header if h}
    known = {key(c) for c in [*required, *optional]}
    listed = ", ".join([*required, *optional])
    issues = [
        TableIssue(name, 1, c, f"column is missing (the file has: {', '.join(header)})")
        for c in required
        if key(c) not in present
    ]
    issues += [
        TableIssue(
            name,
            1,
            h,
            f"unknown column '{h}': not one this file takes (its columns: {listed}); "
            "check its spelling, or remove it",
        )
        for h in header
        if h and key(h) not in known
    ]
    return issues


def rename_columns(table: Table, aliases: Mapping[str, str]) -> None:
    """Give columns written another accepted way (aliases: other spelling -> ours) our name."""
    for alias, column in aliases.items():
        if alias in table.header and column not in table.header:
            table.header[table.header.index(alias)] = column
            for _, row in table.rows:
                row[column] = row.pop(alias)
