"""One pager for every long table: a page of rows and the links either side.

A table that can run past a screen (every LSOA, a governed query's cells, an audit trail)
shows `PER_PAGE` rows at a time with previous and next links that keep the page's other
query parameters; the download links still give every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PER_PAGE = 50


@dataclass(frozen=True)
class Paged:
    """One page of `rows`: which page, how many there are, and the links to move."""

    rows: Sequence[Any]
    number: int
    pages: int
    total: int
    first_row: int
    prev_url: str | None
    next_url: str | None

    @property
    def is_split(self) -> bool:
        return self.pages > 1


def paginate(
    request: HttpRequest, rows: Sequence[Any], per_page: int = PER_PAGE, param: str = "page"
) -> Paged:
    """The page of `rows` that `?page=` asks for (the first if it is missing or wrong)."""
    total = len(rows)
    pages = max(1, -(-total // per_page))
    try:
        number = min(max(1, int(request.GET.get(param, "1"))), pages)
    except ValueError:
        number = 1
    start = (number - 1) * per_page

    def link(n: int) -> str:
        query = request.GET.copy()
        query[param] = str(n)
        return f"?{query.urlencode()}"

    return Paged(
        rows=rows[start : start + per_page],
        number=number,
        pages=pages,
        total=total,
        first_row=start + 1 if total else 0,
        prev_url=link(number - 1) if number > 1 else None,
        next_url=link(number + 1) if number < pages else None,
    )
