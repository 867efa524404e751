"""Tables as CSV and Excel bytes that can never carry a live formula.

Every download the product offers (web tables, CLI reports, consultation duplicates) is
written here, because text from the public or from partners' files may start with `=`,
`+`, `-`, `@` or a control character: a spreadsheet would run it as a formula (CSV or
DDE injection, OWASP). Text cells that could be read as a formula are written as text
with a leading apostrophe in CSV and as typed string cells in Excel; numbers, dates and
booleans keep their types, and text that is just a number (``"-3.5"``) is left alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Columns = Sequence[tuple[str, str]]  # (key in each row, column heading)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula or a DDE call."""
    stripped = text.lstrip(" ")
    if not stripped or not stripped.startswith(_FORMULA_START):
        return False
    return not _PLAIN_NUMBER.match(stripped.strip())


def neutralise(value: Any) -> Any:
    """The value to write in a cell: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def _excel_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, Decimal, date)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


def csv_bytes(rows: Iterable[Mapping[str, Any]], columns: Columns) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads accents), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(heading) for _, heading in columns])
    for row in rows:
        writer.writerow(["" if row.get(k) is None else neutralise(row.get(k)) for k, _ in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Mapping[str, Any]], columns: Columns, sheet: str = "Data") -> bytes:
    """One sheet with a bold, frozen, filtered header; text cells are typed as text."""
    return xlsx_workbook_bytes([(sheet, list(rows), columns)])


def xlsx_workbook_bytes(
    sheets: Sequence[tuple[str, Sequence[Mapping[str, Any]], Columns]],
) -> bytes:
    """A workbook of several sheets, each as `xlsx_bytes` writes one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    used: set[str] = set()
    for name, rows, columns in sheets:
        title = _sheet_title(name, used)
        ws = workbook.create_sheet(title)
        for col, (_, heading) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col, value=str(heading))
            cell.data_type = "s"
            cell.font = Font(bold=True)
        widths = [len(str(h)) for _, h in columns]
        for r, row in enumerate(rows, start=2):
            for col, (key, _) in enumerate(columns, start=1):
                value = _excel_value(row.get(key))
                cell = ws.cell(row=r, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                width = min(60, len(str(value))) if value is not None else 0
                widths[col - 1] = max(widths[col - 1], width)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
        if columns:
            ws.auto_filter.ref = ws.dimensions
            ws.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title
