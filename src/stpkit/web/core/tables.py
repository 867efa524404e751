"""Download any table a user can see as CSV or Excel (`?format=csv` or `?format=xlsx`).

Views call `table_download` first and return its response when there is one, so every list
page gets both downloads from the same rows it renders.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Columns = Sequence[tuple[str, str]]  # (key in each row, column heading)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, Decimal, date, datetime, bool)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


def csv_bytes(rows: Iterable[Mapping[str, Any]], columns: Columns) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for _, heading in columns])
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k, _ in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def xlsx_bytes(rows: Iterable[Mapping[str, Any]], columns: Columns, sheet: str = "Data") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([heading for _, heading in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for _, h in columns]
    for row in rows:
        values = [_cell(row.get(k)) for k, _ in columns]
        ws.append(values)
        widths = [
            max(w, min(60, len(str(v)) if v is not None else 0))
            for w, v in zip(widths, values, strict=True)
        ]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.auto_filter.ref = ws.dimensions
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_download(
    request: HttpRequest,
    rows: Iterable[Mapping[str, Any]],
    columns: Columns,
    filename: str,
) -> HttpResponse | None:
    """The CSV or Excel response the request asks for, or None to render the page."""
    fmt = request.GET.get("format")
    if fmt == "csv":
        response = HttpResponse(csv_bytes(rows, columns), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, columns, sheet=filename), content_type=XLSX_TYPE)
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
