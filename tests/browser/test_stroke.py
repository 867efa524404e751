"""An analyst picks HASU sites, sees figures and maps drawn, and compares two configurations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stpkit.web.accounts.roles import Role
from tests.browser.conftest import axe_violations, drawn_paths_with_nan

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pick_sites_and_compare(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    console_errors: list[str],
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
    # every map drew its LSOAs from the one polygon file the page's maps share
    for map_id in ("map-a-time", "map-a-change", "map-a-catchment", "map-b-time"):
        page.wait_for_selector(f"#{map_id}[data-vega-ready]", timeout=60_000)
        drawn = page.eval_on_selector_all(
            f"#{map_id} path",
            "paths => paths.filter(p => (p.getAttribute('d') || '').length > 20).length",
        )
        assert drawn >= 1000, (map_id, drawn)
    assert drawn_paths_with_nan(page, "#map-a-time") == []
    screenshot("compare")
    assert axe_violations(page) == []
    assert console_errors == []
