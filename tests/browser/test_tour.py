"""A person logs in, sees the dashboard, moves through each area, and logs out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stpkit.web.accounts.roles import Role
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

AREAS = ["Programme", "Data", "Decisions", "Productivity", "Consultation"]


def test_log_in_and_tour_every_area(
    page: Page, live_server: Any, log_in: Callable[[Role], None], screenshot: Callable[[str], Any]
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    screenshot("login")
    log_in(Role.ADMINISTRATOR)
    expect(page.locator("[data-figure=workstreams]")).to_have_text("10")
    expect(page.locator("[data-figure=stroke-sites]")).to_have_text("7")
    expect(page.locator(".nhsuk-header__service-name")).to_contain_text("Kent and Medway")
    screenshot("dashboard")
    for area in AREAS:
        page.locator(".nhsuk-header__navigation").get_by_role("link", name=area).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(area)
        screenshot(area.lower())
    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_keyboard_only_navigation(
    page: Page, live_server: Any, log_in: Callable[[Role], None], screenshot: Callable[[str], Any]
) -> None:
    log_in(Role.PROGRAMME_OFFICE)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    screenshot("skip-link")
    page.keyboard.press("Enter")
    # Tab through the header until the Programme link has focus, then follow it.
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Programme":
            break
    else:
        pytest.fail("Programme link never received keyboard focus")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    screenshot("programme-by-keyboard")


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/",
        "/programme/",
        "/data/",
        "/decisions/",
        "/productivity/",
        "/consultation/",
    ],
)
def test_no_serious_accessibility_violations(
    page: Page, live_server: Any, log_in: Callable[[Role], None], path: str
) -> None:
    if path != "/accounts/login/":
        log_in(Role.ADMINISTRATOR)
    page.goto(f"{live_server.url}{path}")
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["help"], len(v["nodes"])) for v in violations]
