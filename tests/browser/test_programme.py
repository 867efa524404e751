"""Programme journeys in Chromium: a lead edits their own milestone and is refused
another workstream's, the risk heat map, and an Excel import with a broken row."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from stpkit.demo import programme as demo
from stpkit.programme.importing import MILESTONES
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.programme.models import Milestone, Workstream
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def lead_of_hospital_care(log_in: Callable[[Role], None]) -> Callable[[], None]:
    """The demo programme, with the browser's workstream lead leading Hospital care."""

    def go() -> None:
        demo.load()
        log_in(Role.WORKSTREAM_LEAD)
        Workstream.objects.filter(slug="hospital-care").update(
            lead=User.objects.get(username="browser-workstream_lead")
        )

    return go


def test_lead_edits_own_milestone_and_is_refused_another(
    page: Page,
    live_server: Any,
    lead_of_hospital_care: Callable[[], None],
    screenshot: Callable[[str], Any],
) -> None:
    lead_of_hospital_care()
    own = Milestone.objects.get(title="Stroke: launch public consultation")
    page.goto(f"{live_server.url}/programme/milestones/{own.pk}/")
    page.get_by_role("link", name="Edit milestone").click()
    page.get_by_label("Forecast date").fill("2018-07-03")
    page.get_by_label("Owner").fill("Stroke programme SRO")
    screenshot("edit-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("03 Jul 2018")
    history = page.get_by_role("table", name="History")
    expect(history).to_contain_text("Forecast date from “8 March 2018” to “3 July 2018”")
    screenshot("saved-with-history")
    own.refresh_from_db()
    assert own.forecast_date.isoformat() == "2018-07-03"

    other = Milestone.objects.filter(workstream__slug="digital").first()
    assert other is not None
    page.goto(f"{live_server.url}/programme/milestones/{other.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(other.title)
    expect(page.get_by_role("link", name="Edit milestone")).to_have_count(0)
    response = page.goto(f"{live_server.url}/programme/milestones/{other.pk}/edit/")
    assert response is not None and response.status == 403
    screenshot("refused")


def test_risk_heat_map(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
) -> None:
    demo.load()
    log_in(Role.BOARD_MEMBER)
    page.goto(f"{live_server.url}/programme/risks/")
    heat = page.locator("#heat-map")
    cell = heat.locator("td[data-likelihood='4'][data-consequence='5']")
    expect(cell).to_have_attribute("data-count", "2")
    expect(cell).to_have_class("programme-band--extreme")
    expect(heat.locator("td[data-likelihood='1'][data-consequence='1']")).to_have_class(
        "programme-band--low"
    )
    screenshot("heat-map")
    assert axe_violations(page) == []
    cell.get_by_role("link").click()
    rows = page.locator("table.nhsuk-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.nhsuk-table")).to_contain_text("Capital availability")
    screenshot("cell-filtered")


def _workbook(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.heading for c in MILESTONES.columns])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_excel_import_reports_the_broken_row_and_saves_nothing(
    page: Page,
    live_server: Any,
    lead_of_hospital_care: Callable[[], None],
    screenshot: Callable[[str], Any],
) -> None:
    lead_of_hospital_care()
    before = Milestone.objects.count()
    good = ["hospital-care", "Stroke: early supported discharge service", None, "2019-03-31"]
    broken = ["hospital-care", "Stroke: rehabilitation review", None, "31/02/2019"]
    page.goto(f"{live_server.url}/programme/import/")
    page.get_by_label("What the file holds").select_option("milestones")
    page.get_by_label("Excel file").set_input_files(
        {
            "name": "stroke.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": _workbook([good, broken]),
        }
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#import-errors")).to_contain_text("Nothing was saved")
    errors = page.locator("#row-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("Baseline date")
    expect(errors.first).to_contain_text("31/02/2019")
    screenshot("broken-row")
    assert axe_violations(page) == []
    assert Milestone.objects.count() == before

    broken[3] = "28/02/2019"
    page.get_by_label("Excel file").set_input_files(
        {
            "name": "stroke.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": _workbook([good, broken]),
        }
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Imported 2 milestones from stroke.xlsx")).to_be_visible()
    screenshot("imported")
    assert Milestone.objects.count() == before + 2


def test_dashboard_and_timelines_draw(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
) -> None:
    demo.load()
    log_in(Role.BOARD_MEMBER)
    page.goto(f"{live_server.url}/programme/")
    expect(page.locator("#escalated-risks")).to_contain_text("Capital availability")
    expect(page.locator("#dependency-warnings")).to_contain_text("Shared care record")
    screenshot("dashboard")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Hospital care").first.click()
    expect(page.locator("#workstream-timeline[data-vega-ready]")).to_have_count(1)
    expect(page.locator("#workstream-timeline svg.marks")).to_have_count(1)
    screenshot("workstream")
    page.goto(f"{live_server.url}/programme/timeline/")
    expect(page.locator("#programme-timeline[data-vega-ready]")).to_have_count(1)
    screenshot("timeline")

    page.goto(f"{live_server.url}/programme/")
    board_links = page.get_by_role("navigation", name="Programme Board pages")
    board_links.get_by_role("link", name="delivery confidence trend").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery confidence over time")
    page.go_back()
    board_links.get_by_role("link", name="monthly workstream updates").click()
    expect(page.locator("#escalated-risks")).to_contain_text("Capital availability")
    screenshot("board-escalated-risks")
