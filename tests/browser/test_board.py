"""The board journeys in Chromium: a lead submits a monthly update, the programme office
sends it back and then accepts it, and the public board update is generated, edited and
downloaded as a Word document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from stpkit.demo import board as demo
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
from stpkit.web.programme.models import Workstream
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

BOARD = "/programme/board"


@pytest.fixture
def board_world(browser_user: Callable[[Role], User], settings: Any, tmp_path: Path) -> User:
    """The board demo, an April 2018 period, and the browser lead leading hospital care."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo.load()
    ReportingPeriod.objects.get_or_create(month=date(2018, 4, 1))
    lead = browser_user(Role.WORKSTREAM_LEAD)
    hospital = Workstream.objects.get(slug="hospital-care")
    hospital.lead = lead  # type: ignore[attr-defined]
    hospital.save()
    return lead


def switch_to(page: Page, log_in: Callable[[Role], None], role: Role) -> None:
    page.context.clear_cookies()
    log_in(role)


def test_lead_submits_office_sends_back_then_accepts(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    board_world: User,
) -> None:
    edit = f"{live_server.url}{BOARD}/periods/2018-04/hospital-care/edit/"
    review = f"{live_server.url}{BOARD}/periods/2018-04/hospital-care/"

    log_in(Role.WORKSTREAM_LEAD)
    page.goto(edit)
    expect(page.get_by_role("heading", level=1)).to_have_text("Update for April 2018")
    page.get_by_label("Amber", exact=True).check()
    page.get_by_label("Summary of progress").fill("Stroke consultation launched on 8 March 2018.")
    page.get_by_label("Achievements this month").fill("PCBC approved by NHS England.")
    page.get_by_label("Next steps").fill("Evaluate the consultation responses.")
    page.get_by_label("Key risks and issues").fill("Volume of responses.")
    assert axe_violations(page) == []
    screenshot("lead-writes-update")
    page.get_by_role("button", name="Submit to the programme office").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("submitted")
    # The lead may not edit another workstream's update.
    response = page.goto(f"{live_server.url}{BOARD}/periods/2018-04/estates/edit/")
    assert response is not None and response.status == 403

    switch_to(page, log_in, Role.PROGRAMME_OFFICE)
    page.goto(review)
    page.get_by_label("Send back to the workstream lead").check()
    page.get_by_label("Comment for the workstream lead").fill("Please add the JHOSC date.")
    screenshot("office-sends-back")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("sent back")

    switch_to(page, log_in, Role.WORKSTREAM_LEAD)
    page.goto(edit)
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("Please add the JHOSC date.")
    page.get_by_label("Next steps").fill("Evaluate responses; JHOSC on 23 January.")
    page.get_by_role("button", name="Submit to the programme office").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("submitted")

    switch_to(page, log_in, Role.PROGRAMME_OFFICE)
    page.goto(review)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("JHOSC on 23 January")
    page.get_by_label("Accept: the board will see this update").check()
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("accepted")
    screenshot("office-accepted")
    update = WorkstreamUpdate.objects.get(
        period__month=date(2018, 4, 1), workstream__slug="hospital-care"
    )
    assert update.status == "accepted" and update.confidence == "amber"
    page.goto(f"{live_server.url}{BOARD}/trend/")
    expect(page.locator("#rag-trend[data-vega-ready]")).to_be_attached()
    screenshot("trend")


def test_board_update_generated_edited_and_downloaded(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    board_world: User,
    tmp_path: Path,
) -> None:
    log_in(Role.PROGRAMME_OFFICE)
    page.goto(f"{live_server.url}{BOARD}/meetings/")
    page.get_by_role("link", name="Programme Board, 5 March 2018", exact=True).click()
    expect(page.get_by_text("Actions carried forward from earlier meetings")).to_be_visible()
    screenshot("meeting")
    page.get_by_role("link", name="Public board update").click()
    page.get_by_role("button", name="Regenerate from the meeting").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Generated")
    expect(page.locator("article")).to_contain_text("Mental health ‘deep dive’")
    page.get_by_role("link", name="Edit", exact=True).click()
    body = page.get_by_label("Sections")
    text = body.input_value()
    assert "## Workstream progress" in text
    body.fill(
        text.replace(
            "## Chief Executive’s update",
            "## Chief Executive’s update\n\nThe Board thanked the mental health team.",
        )
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("article")).to_contain_text("The Board thanked the mental health team.")
    assert axe_violations(page) == []
    screenshot("board-update")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "programme-board-update-2018-03-05.docx"
    document = Document(str(path))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert styled[0][0] == "Title" and styled[0][1].endswith("Meeting Update, March 2018")
    headings = [t for s, t in styled if s.startswith("Heading")]
    for heading in (
        "Update from the Programme Board meeting held on 5 March 2018",
        "Mental health ‘deep dive’",
        "STP planning and budget 2018/19",
        "Decisions",
        "Workstream progress",
    ):
        assert heading in headings
    texts = [t for _, t in styled]
    assert "The Board thanked the mental health team." in texts
    assert any(t.startswith("The Board approved the 2018/19 plans and budgets") for t in texts)
