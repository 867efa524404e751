"""Long tables come a page at a time: a governed query by LSOA x age band x sex and the
Population page's LSOA table show at most PER_PAGE rows with a link to the next page, and the
audit log records the rows the person received (it said "Rows 0" when all were suppressed)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from tests.web.data.test_data_pages import approved, data_dir, sample_dir  # noqa: F401

from stpkit.kid.governed import Governance
from stpkit.web.accounts.roles import Role
from stpkit.web.core.paging import PER_PAGE

BODY_ROW = re.compile(r"<tbody.*?</tbody>", re.S)


def _body_rows(html: str) -> int:
    return sum(body.count('<tr class="nhsuk-table__row">') for body in BODY_ROW.findall(html))


def test_a_fine_governed_query_is_paged_and_logged_with_its_true_row_count(
    approved: Governance,  # noqa: F811
    client_for: Callable[[Role], Client],
) -> None:
    client = client_for(Role.ANALYST)
    ask = {
        "purpose": "population-dashboards",
        "table": "person",
        "group_by": ["lsoa_code", "age_band", "sex"],
    }
    html = client.get(reverse("data:query"), ask).content.decode()
    entry = approved.entries()[-1]
    assert entry.action == "query" and entry.rows > PER_PAGE * 2
    assert f"of {entry.rows:,} (page 1 of" in html
    assert _body_rows(html) == PER_PAGE
    assert 'rel="next"' in html and "page=2" in html
    second = client.get(reverse("data:query"), {**ask, "page": "2"}).content.decode()
    assert f"Showing rows {PER_PAGE + 1:,} to {2 * PER_PAGE:,}" in second
    assert 'rel="prev"' in second


def test_the_population_page_lists_lsoas_a_page_at_a_time(
    approved: Governance,  # noqa: F811
    client_for: Callable[[Role], Client],
) -> None:
    html = client_for(Role.WORKSTREAM_LEAD).get(reverse("data:population")).content.decode()
    # the pyramid's table (19 age bands) and one page of LSOAs
    assert _body_rows(html) <= PER_PAGE + 19
    assert 'rel="next"' in html and "Showing LSOAs 1 to" in html
