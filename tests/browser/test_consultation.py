"""An analyst reviews the stroke consultation's themes: rename, correct, merge, split, add."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stpkit.demo import consultation as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.models import Correction, Theme
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_theme_editing_journey(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
) -> None:
    log_in(Role.ANALYST)
    demo.load(n=300)
    page.goto(f"{live_server.url}/consultation/")
    page.get_by_role("link", name=demo.TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.TITLE)
    screenshot("consultation")
    page.get_by_role("link", name="Themes for Q4 comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes")
    themes_url = page.url
    before = page.locator("[data-theme]").count()
    assert before >= 6
    screenshot("themes")
    assert not axe_violations(page)

    # rename the first theme
    page.locator("[data-theme=t1] [data-theme-label]").click()
    page.get_by_label("Rename theme").fill("Travel time and access")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Travel time and access")
    screenshot("renamed")

    # correct one response: move it to another theme; it is marked as corrected
    row = page.locator("[data-response]").first
    response_id = row.get_attribute("data-response")
    row.get_by_role("combobox").select_option("t2")
    row.get_by_role("button", name="Move").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("correction is kept")
    assert Correction.objects.get(response_id=response_id).theme_key == "t2"
    screenshot("corrected")

    # merge two themes
    page.goto(themes_url)
    page.locator("#merge-t3").check()
    page.locator("#merge-t4").check()
    page.get_by_label("Name for the merged theme (optional)").fill("Local care and staffing")
    page.get_by_role("button", name="Merge selected themes").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Merged 2 themes")
    expect(page.locator("[data-theme]")).to_have_count(before - 1)
    expect(page.locator("[data-theme=t3] [data-theme-label]")).to_have_text(
        "Local care and staffing"
    )
    screenshot("merged")

    # split a theme in two
    page.locator("[data-theme=t3] [data-theme-label]").click()
    page.get_by_role("button", name="Split theme").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Split the theme into 2")
    page.goto(themes_url)
    expect(page.locator("[data-theme]")).to_have_count(before)
    screenshot("split")

    # add a theme of the analyst's own
    page.get_by_label("Theme name").fill("Parking and visiting")
    page.get_by_label("Keywords").fill("parking, visiting, relatives")
    page.get_by_role("button", name="Add theme").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Added the theme")
    expect(page.locator("[data-theme]")).to_have_count(before + 1)
    screenshot("added")

    # the correction survived every re-assignment
    assert Correction.objects.get(response_id=response_id).theme_key == "t2"
    assert Theme.objects.filter(label="Parking and visiting").exists()
