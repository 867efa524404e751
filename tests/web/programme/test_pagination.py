"""The risk register and the milestone list show 50 rows a page with the NHS.UK pagination
component; its links keep the filters; the downloads still give every row."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape

from django.test import Client
from django.urls import reverse

from stpkit.web.programme.models import Dependency, Milestone, Risk, Workstream
from stpkit.web.programme.tables import page_numbers


def _titles(html: str, prefix: str) -> list[str]:
    return re.findall(rf">({prefix} \d+)</a>", html)


def _links(html: str) -> list[str]:
    nav = html.split('class="nhsuk-pagination', 1)[1].split("</nav>", 1)[0]
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', nav)]


def test_the_register_pages_keep_filters_and_the_download_has_every_row(
    client_as: Callable[[str], Client],
) -> None:
    prevention = Workstream.objects.get(slug="prevention")
    Risk.objects.bulk_create(
        Risk(
            workstream=prevention, title=f"Paged risk {i:03}", likelihood=2, consequence=3, score=6
        )
        for i in range(120)
    )
    Risk.objects.create(title="Another workstream's risk", likelihood=2, consequence=3)
    client = client_as("board")
    url = reverse("programme:risks")
    first = client.get(url, {"workstream": "prevention"}).content.decode()
    assert _titles(first, "Paged risk") == [f"Paged risk {i:03}" for i in range(50)]
    assert "120 risks and issues" in first and "Showing 1 to 50 of 120" in first
    assert "nhsuk-pagination--numbered" in first and 'aria-current="page"' in first
    links = _links(first)
    assert links and all("workstream=prevention" in h for h in links)
    assert any("page=3" in h for h in links)
    to_third = next(h for h in links if "page=3" in h)
    last = client.get(url + to_third).content.decode()
    assert _titles(last, "Paged risk") == [f"Paged risk {i:03}" for i in range(100, 120)]
    assert "Another workstream" not in last
    # Past the end: the last page; not a number: the first.
    assert (
        "Showing 101 to 120"
        in client.get(url, {"workstream": "prevention", "page": "9"}).content.decode()
    )
    assert (
        "Showing 1 to 50"
        in client.get(url, {"workstream": "prevention", "page": "x"}).content.decode()
    )
    download = client.get(url, {"workstream": "prevention", "page": "2", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len([r for r in rows if r["Risk or issue"].startswith("Paged risk")]) == 120
    assert all(r["Workstream"] == prevention.name for r in rows)


def test_the_milestone_list_pages_keep_the_slipping_filter(
    client_as: Callable[[str], Client],
) -> None:
    prevention = Workstream.objects.get(slug="prevention")
    base = date(2030, 1, 1)
    Milestone.objects.bulk_create(
        Milestone(
            workstream=prevention,
            title=f"Paged milestone {i:03}",
            baseline_date=base,
            forecast_date=base + timedelta(days=i + 1 if i % 2 else 0),  # odd ones slip
        )
        for i in range(130)
    )
    client = client_as("board")
    url = reverse("programme:milestones")
    page = client.get(url, {"slipping": "1"}).content.decode()
    shown = _titles(page, "Paged milestone")
    assert all(int(t.split()[-1]) % 2 == 1 for t in shown)
    assert all("slipping=1" in h for h in _links(page))
    pages_seen = set(shown)
    for n in (2, 3):
        more = client.get(url, {"slipping": "1", "page": str(n)}).content.decode()
        titles = _titles(more, "Paged milestone")
        assert all(int(t.split()[-1]) % 2 == 1 for t in titles)
        pages_seen |= set(titles)
    assert pages_seen == {f"Paged milestone {i:03}" for i in range(1, 130, 2)}
    download = client.get(url, {"slipping": "1", "page": "2", "format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    everything = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(everything)))) == Milestone.objects.count() + 1


def test_short_lists_have_no_pagination(client_as: Callable[[str], Client]) -> None:
    html = client_as("board").get(reverse("programme:risks")).content.decode()
    assert "nhsuk-pagination" not in html


def test_page_numbers_show_first_last_and_neighbours_with_gaps() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert page_numbers(10, 10) == [1, None, 9, 10]
    assert page_numbers(3, 10) == [1, 2, 3, 4, None, 10]


def test_the_dependency_list_pages_with_every_warning_and_downloads_every_row(
    client_as: Callable[[str], Client],
) -> None:
    prevention = Workstream.objects.get(slug="prevention")
    base = date(2030, 1, 1)
    made = Milestone.objects.bulk_create(
        Milestone(
            workstream=prevention,
            title=f"Chain {i:03}",
            baseline_date=base,
            forecast_date=base + timedelta(days=i),
        )
        for i in range(121)
    )
    # each waits for the one before; the last waits for one forecast a year later
    late = Milestone.objects.create(
        workstream=prevention, title="Late", baseline_date=base, forecast_date=date(2031, 1, 1)
    )
    chain = Milestone.objects.filter(title__startswith="Chain ").order_by("title")
    pairs = list(itertools.pairwise(chain))
    assert len(made) == 121 and len(pairs) == 120
    total_before = Dependency.objects.count()
    Dependency.objects.bulk_create(Dependency(predecessor=a, successor=b) for a, b in pairs)
    Dependency.objects.create(predecessor=late, successor=pairs[-1][1])
    total = total_before + 121
    client = client_as("board")
    url = reverse("programme:dependencies")
    first = client.get(url).content.decode()
    assert f"{total:,} dependencies" in first and f"Showing 1 to 50 of {total:,}" in first
    assert first.count('<tr class="nhsuk-table__row">') <= 51
    last = client.get(url, {"page": str(-(-total // 50))}).content.decode()
    assert f"to {total:,} of {total:,}" in last
    everything = client.get(url, {"format": "csv", "page": "2"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(everything)))
    assert len(rows) == total
    assert [r["Warning"] for r in rows if r["Waits for milestone"] == "Late"] == [
        "Forecast 245 days too late"
    ]
