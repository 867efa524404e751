"""My tasks, search, notifications and user administration in Chromium: the header badge
and search box lead to their pages, no console errors, no serious accessibility faults."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import Action, BoardMeeting, ReportingPeriod
from stpkit.web.programme.models import Risk, Workstream
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def lead_world(browser_user: Callable[[Role], User], settings: Any) -> User:
    settings.STPKIT_TODAY = date(2018, 3, 5)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    lead = browser_user(Role.WORKSTREAM_LEAD)
    hospital = Workstream.objects.get(slug="hospital-care")
    hospital.lead = lead
    hospital.save()
    ReportingPeriod.objects.create(month=date(2018, 3, 1))
    Risk.objects.create(
        workstream=hospital,
        title="Thrombectomy rota gaps",
        likelihood=4,
        consequence=4,
        review_date=date(2018, 2, 28),
    )
    meeting = BoardMeeting.objects.create(date=date(2018, 3, 5))
    Action.objects.create(
        meeting=meeting,
        description="Bring the stroke workforce plan to the board",
        owner="Hospital care lead",
        due=date(2018, 4, 2),
    )
    return lead


def test_a_lead_finds_their_tasks_searches_and_reads_notifications(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    console_errors: list[str],
    lead_world: User,
) -> None:
    log_in(Role.WORKSTREAM_LEAD)
    badge = page.get_by_role("link", name=re.compile(r"My tasks \(3\), 2 new"))
    expect(badge).to_be_visible()
    badge.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    rows = page.locator("[data-testid=tasks] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Thrombectomy rota gaps")
    expect(rows.nth(0)).to_contain_text("Overdue")
    expect(rows.nth(1)).to_contain_text("Submit the Hospital care update for March 2018")
    screenshot("tasks")
    assert axe_violations(page) == []

    page.get_by_role("search").get_by_role("searchbox").fill("rota")
    page.get_by_role("search").get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Risks and issues")
    page.get_by_role("link", name="Thrombectomy rota gaps").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thrombectomy rota gaps")

    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("[data-testid=notifications] li")).to_have_count(2)
    screenshot("notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("[data-read=no]")).to_have_count(0)
    expect(page.get_by_role("link", name="My tasks (3)")).to_be_visible()
    assert console_errors == []


def test_an_administrator_adds_a_user_who_sets_a_password(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    console_errors: list[str],
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    log_in(Role.ADMINISTRATOR)
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("Username").fill("nia")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("E-mail address").fill("nia@example.nhs.uk")
    page.get_by_label("Role").select_option(label="Workstream lead")
    screenshot("new-user")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("[data-testid=users]")).to_contain_text("nia@example.nhs.uk")
    (message,) = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body)
    assert link is not None
    page.context.clear_cookies()
    page.goto(link.group(0).replace("http://testserver", live_server.url))
    page.get_by_label("New password", exact=True).fill("kettle-orchard-lantern")
    page.get_by_label("New password again").fill("kettle-orchard-lantern")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is set")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Password", exact=True).fill("kettle-orchard-lantern")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name=re.compile(r"My tasks"))).to_be_visible()
    assert User.objects.get(username="nia").role == Role.WORKSTREAM_LEAD
    assert console_errors == []
