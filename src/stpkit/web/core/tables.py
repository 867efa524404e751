"""Download any table a user can see as CSV or Excel (`?format=csv` or `?format=xlsx`).

Views call `table_download` first and return its response when there is one, so every list
page gets both downloads from the same rows it renders. The bytes come from
`stpkit.exports`, which never lets a text cell become a live formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse

from stpkit.exports import XLSX_TYPE, Columns, csv_bytes, xlsx_bytes

__all__ = ["XLSX_TYPE", "Columns", "csv_bytes", "table_download", "xlsx_bytes"]


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
