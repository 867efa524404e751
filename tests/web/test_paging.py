"""The shared pager: a page of rows, links that keep the other query parameters, and a
wrong page number falling back to a real page."""

from __future__ import annotations

from django.test import RequestFactory

from stpkit.web.core.paging import paginate

ROWS = list(range(1, 121))


def test_pages_split_rows_and_keep_the_other_parameters() -> None:
    request = RequestFactory().get("/data/query/", {"group_by": ["lsoa_code", "sex"], "page": 2})
    paged = paginate(request, ROWS, per_page=50)
    assert list(paged.rows) == list(range(51, 101))
    assert (paged.number, paged.pages, paged.total, paged.first_row) == (2, 3, 120, 51)
    assert paged.prev_url is not None and "page=1" in paged.prev_url
    assert paged.next_url is not None and "page=3" in paged.next_url
    assert paged.next_url.count("group_by=") == 2


def test_the_last_page_has_no_next_and_a_wrong_page_is_the_nearest_real_one() -> None:
    last = paginate(RequestFactory().get("/", {"page": 3}), ROWS, per_page=50)
    assert list(last.rows) == list(range(101, 121)) and last.next_url is None
    assert paginate(RequestFactory().get("/", {"page": 99}), ROWS, per_page=50).number == 3
    assert paginate(RequestFactory().get("/", {"page": "x"}), ROWS, per_page=50).number == 1
    short = paginate(RequestFactory().get("/"), ROWS[:10], per_page=50)
    assert not short.is_split and short.prev_url is None and short.next_url is None
