"""Every enablers page renders for a reader with the demo loaded, downloads work, and the
demo loader is idempotent."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stpkit.web.accounts.roles import Role
from stpkit.web.core.models import ChangeRecord
from stpkit.web.enablers.models import (
    Building,
    CapitalScheme,
    Initiative,
    ReturnLoad,
    StaffRecord,
    WorkstreamRequest,
)

PAGES = [
    "enablers:index",
    "enablers:estates",
    "enablers:buildings",
    "enablers:space",
    "enablers:disposals",
    "enablers:workforce",
    "enablers:agency",
    "enablers:projection",
    "enablers:capital",
    "enablers:portfolio",
    "enablers:requests",
]


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_for_a_board_member(
    name: str, enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    response = client_for(Role.BOARD_MEMBER).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enabling workstreams" in html
    assert "nhsuk-table" in html or "None" in html


def test_demo_is_idempotent_and_uses_real_names(enablers_demo: None) -> None:
    import stpkit.demo.enablers as demo

    counts = (
        Building.objects.count(),
        StaffRecord.objects.count(),
        CapitalScheme.objects.count(),
        Initiative.objects.count(),
        WorkstreamRequest.objects.count(),
    )
    demo.load()
    assert counts == (
        Building.objects.count(),
        StaffRecord.objects.count(),
        CapitalScheme.objects.count(),
        Initiative.objects.count(),
        WorkstreamRequest.objects.count(),
    )
    assert counts[0] == 60 and counts[1] == 2000
    assert Building.objects.filter(site__name="Medway Maritime Hospital").exists()


@pytest.mark.parametrize(
    "name",
    [
        "enablers:buildings",
        "enablers:workforce",
        "enablers:capital",
        "enablers:portfolio",
        "enablers:requests",
        "enablers:disposals",
    ],
)
def test_tables_download_as_csv_and_excel(
    name: str, enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.ANALYST)
    response = client.get(reverse(name), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) > 1
    xlsx = client.get(reverse(name), {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None and ws.max_row == len(rows)
    assert [c.value for c in ws[1]] == rows[0]


def test_workforce_download_matches_the_database(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    response = client_for(Role.BOARD_MEMBER).get(reverse("enablers:workforce"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = sum(float(r["Staff in post (WTE)"]) for r in rows)
    expected = sum(StaffRecord.objects.values_list("wte", flat=True))
    assert total == pytest.approx(expected, abs=0.1 * len(rows))
    assert {r["Organisation"] for r in rows} == {"All organisations"}


def test_portfolio_is_proven_optimal_and_explains_what_drops(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    html = client_for(Role.BOARD_MEMBER).get(reverse("enablers:portfolio")).content.decode()
    assert "Proven optimal" in html and ">Yes<" in html
    assert "adding it would overrun" in html
    curve = client_for(Role.BOARD_MEMBER).get(
        reverse("enablers:portfolio"), {"table": "curve", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(curve.content.decode("utf-8-sig"))))
    values = [float(r["Best total value (points)"]) for r in rows]
    assert len(values) == 9 and values == sorted(values)


def test_dashboard_flags_late_and_unanswered_requests(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    response = client_for(Role.BOARD_MEMBER).get(reverse("enablers:index"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    flags = {r["Request"]: r["Flag"] for r in rows}
    # demo: surveys due 20 days ago (late); hubs raised 5 days ago but due in 90 (not flagged);
    # AMHPs raised 30 days ago with no answer (unanswered); dashboards accepted, due 10 days ago
    assert flags["Site surveys for the three stroke units"] == "Late"
    assert flags["Approved mental health professionals"] == "Unanswered"
    assert flags["Population health dashboards from the KID"] == "Late"
    assert "Space for hubs in Thanet and Swale" not in flags


def test_capital_shows_years_over_the_envelope(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    response = client_for(Role.BOARD_MEMBER).get(
        reverse("enablers:capital"), {"table": "years", "format": "csv"}
    )
    rows = {r["Year"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    # 2020/21: 4 + 5 + 3.5 + 25 + 4 + 1 + 3 + 1.2 = 46.7m planned against 45m
    assert float(rows["2020/21"]["Planned (GBP)"]) == pytest.approx(46.7e6)
    assert rows["2020/21"]["Over the envelope"] == "Yes"
    assert rows["2018/19"]["Over the envelope"] == "No"


def test_option_capital_link_for_decisions(enablers_demo: None) -> None:
    from types import SimpleNamespace

    from stpkit.web.enablers.links import option_capital

    option = SimpleNamespace(code="3", name="Single major emergency centre at William Harvey")
    assert option_capital(option) == pytest.approx(130e6)
    assert option_capital(SimpleNamespace(code="X", name="nothing")) == 0


def test_audit_record_for_loaded_returns(enablers_demo: None) -> None:
    assert ReturnLoad.objects.count() == 2
    assert ChangeRecord.objects.filter(reason="return loaded").count() == 2


def test_board_sections_parse_as_a_board_update_body(enablers_demo: None) -> None:
    from stpkit.reports.board_update import parse_body
    from stpkit.web.enablers.board import board_sections_text

    sections = parse_body(board_sections_text())
    assert [s.heading for s in sections] == ["Estates and capital", "Workforce"]
    estates, workforce = sections
    assert any("60 buildings" in b for b in estates.bullets())
    assert any("over the envelope in 2020/21" in b for b in estates.bullets())
    assert any("WTE in post in 2017" in b for b in workforce.bullets())
    assert sum("In five years" in b for b in workforce.bullets()) == 3
