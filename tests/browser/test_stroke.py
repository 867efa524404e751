"""An analyst picks HASU sites, sees figures and maps drawn, and compares two configurations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stpkit.web.accounts.roles import Role
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pick_sites_and_compare(
    page: Page, live_server: Any, log_in: Callable[[Role], None], screenshot: Callable[[str], Any]
) -> None:
    log_in(Role.ANALYST)
    page.goto(f"{live_server.url}/decisions/stroke/", timeout=180_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stroke service configurations")
    for code in ("DA", "MD", "WH"):
        page.locator(f"#a-{code}").check()
    for code in ("MD", "WH", "KT"):
        page.locator(f"#b-{code}").check()
    page.get_by_role("button", name="Show figures").click()
    # the page evaluates both and draws six maps: allow for a loaded machine
    expect(page.get_by_role("columnheader", name="A: DA+MD+WH").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("columnheader", name="B: KT+MD+WH").first).to_be_visible()
    # the maps are drawn by vega-embed into SVG or canvas
    expect(page.locator("#map-a-change canvas, #map-a-change svg").first).to_be_visible(
        timeout=60_000
    )
    expect(page.locator("#map-b-time canvas, #map-b-time svg").first).to_be_visible(timeout=60_000)
    expect(page.locator("#a-DA")).to_be_checked()
    screenshot("compare")
    assert axe_violations(page) == []
