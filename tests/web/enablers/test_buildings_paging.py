"""The buildings page shows one page of rows with a link to the next; the downloads keep
every building."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stpkit.web.accounts.roles import Role
from stpkit.web.core.paging import PER_PAGE
from stpkit.web.enablers.models import Building


def _body_rows(page: str) -> int:
    return len(re.findall(r'<tr class="nhsuk-table__row">\s*<td', page))


def test_buildings_page_shows_one_page_and_a_next_link(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    total = Building.objects.count()
    assert total > PER_PAGE  # the demo fixture has 60 buildings
    client = client_for(Role.BOARD_MEMBER)
    first = client.get(reverse("enablers:buildings")).content.decode()
    assert _body_rows(first) == PER_PAGE
    assert 'rel="next"' in first and "page=2" in first
    assert f"of {total}" in first
    second = client.get(reverse("enablers:buildings"), {"page": "2"}).content.decode()
    assert _body_rows(second) == total - PER_PAGE
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_buildings_download_has_every_row_whatever_the_page(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    total = Building.objects.count()
    client = client_for(Role.BOARD_MEMBER)
    response = client.get(reverse("enablers:buildings"), {"page": "2", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == total
    assert {r["Building"] for r in rows} == set(Building.objects.values_list("code", flat=True))
    xlsx = client.get(reverse("enablers:buildings"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == total + 1
