"""Every decisions page renders on the demo programmes, for a reader and an editor."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.demo import decisions as demo
from stpkit.web.accounts.roles import Role

PAGES = [
    "programme",
    "options",
    "hurdles",
    "criteria",
    "scoring",
    "results",
    "timeline",
    "consultation",
    "history",
]


@pytest.fixture
def loaded(demo_partnership: None) -> None:
    demo.load()


@pytest.mark.parametrize("slug", [demo.STROKE_SLUG, demo.EAST_KENT_SLUG])
def test_pages_render(loaded: None, client_for: Callable[[Role], Client], slug: str) -> None:
    for role in (Role.BOARD_MEMBER, Role.PROGRAMME_OFFICE):
        client = client_for(role)
        for page in PAGES:
            r = client.get(reverse(f"decisions:{page}", args=[slug]))
            assert r.status_code == 200, (page, r.status_code)
        r = client.get(reverse("decisions:stage", args=[slug, "long_list"]))
        assert r.status_code == 200
        code = "Today" if slug == demo.STROKE_SLUG else "BAU"
        r = client.get(reverse("decisions:option", args=[slug, code]))
        assert r.status_code == 200 and "Business as usual" in r.content.decode()


def test_every_table_downloads_as_csv_and_excel(
    loaded: None, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.BOARD_MEMBER)
    slug = demo.STROKE_SLUG
    expected = {
        "options": "Code,Option,Sites,Reached,Origin,Hurdles failed and why",
        "hurdles": "Option,Description,Reached,",
        "criteria": "Group,Key,Criterion,Weight (%)",
        "scoring": "Option,Criterion,Scorers,Mean,Lowest,Highest,Spread,Standard deviation",
        "results": "Rank,Option,Description,",
        "timeline": "Scenario,Task,Lane,Planned start,Planned finish,Forecast start",
        "history": "When,Who,Item,Action,Field,Before,After,Reason",
    }
    for page, header in expected.items():
        url = reverse(f"decisions:{page}", args=[slug])
        got = client.get(url + "?format=csv")
        assert got.status_code == 200, page
        lines = got.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith(header), (page, lines[0])
        assert len(lines) > 1, page
        xlsx = client.get(url + "?format=xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK", page
    # the spread table: six short-listed options x five criteria, three scorers each
    rows = client.get(reverse("decisions:scoring", args=[slug]) + "?format=csv")
    body = list(csv.reader(io.StringIO(rows.content.decode("utf-8-sig"))))[1:]
    assert len(body) == 30 and all(row[2] == "3" for row in body)
    # both scenarios of seed 004 in one timeline download, each ending at its launch
    text = client.get(reverse("decisions:timeline", args=[slug]) + "?format=csv")
    lines = text.content.decode("utf-8-sig")
    assert "Scenario 1: single meeting" in lines and "Scenario 2: two meetings" in lines
