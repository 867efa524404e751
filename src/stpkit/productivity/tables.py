"""Read a CSV or Excel upload into rows of text keyed by lower-case column name.

Every importer works on the same shape so that row numbers in messages match what a user
sees in a spreadsheet (the header is row 1, the first record row 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stpkit import tabular
from stpkit.productivity.errors import InputError, InputIssue
from stpkit.tabular import TableError


@dataclass(frozen=True)
class Table:
    """The rows of one file: (row number, {column: text}) and the file's name."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _issues(error: TableError) -> InputError:
    return InputError([InputIssue(i.file, i.row, i.column, i.reason) for i in error.issues])


def read_table(data: bytes | Path, name: str | None = None) -> Table:
    """Rows of a .csv or .xlsx file (first sheet), column names in lower case; blank rows
    are skipped, and rows cut short refused (`stpkit.tabular`)."""
    try:
        table = tabular.read_table(data, name, lower_case_header=True)
    except TableError as error:
        raise _issues(error) from None
    return Table(table.name, table.header, table.rows)


def require_columns(
    table: Table,
    needed: list[str],
    aliases: dict[str, str] | None = None,
    optional: list[str] | tuple[str, ...] = (),
) -> None:
    """Refuse a file that lacks a needed column, or has one that is neither needed nor
    optional (aliases map other spellings to ours)."""
    for alias, column in (aliases or {}).items():
        if alias in table.columns and column not in table.columns:
            table.columns[table.columns.index(alias)] = column
            for _, row in table.rows:
                row[column] = row.pop(alias)
    issues = tabular.column_issues(table.name, table.columns, needed, optional)
    if issues:
        raise InputError([InputIssue(i.file, i.row, i.column, i.reason) for i in issues])


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
