"""The LSOA maps in Chromium: Population, Local care tiers and the hospital care workstream
draw one shape per LSOA with no NaN in any path and no console error.

One anticlockwise ring in the reference boundaries (Swale 008C has one) used to make d3-geo
fit the map to the whole globe: every path became `M0,NaN...` and the map one rectangle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from stpkit.kid.governed import Governance, governance_dir
from stpkit.kid.sources import SampleSpec, write_sample
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.data import services
from tests.browser.conftest import drawn_paths_with_nan

pytestmark = pytest.mark.browser


@pytest.fixture
def approved_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser_user: Callable[[Role], User]
) -> Iterator[None]:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    write_sample(tmp_path / "kid" / "sample", SampleSpec(people=2_000, practices=20))
    gov = Governance(governance_dir(tmp_path))
    purpose = services.standing_purpose("browser-analyst")
    gov.request(purpose, user="browser-analyst", role="analyst")
    gov.decide(purpose.key, approve=True, user="controller", role="data_controller")
    yield


def _assert_map_drawn(
    page: Page, selector: str, shoot: Callable[[str], Path], colours: int = 3
) -> None:
    expect(page.locator(f"{selector}[data-vega-ready]")).to_be_attached(timeout=30_000)
    shoot(selector.strip("#"))
    assert drawn_paths_with_nan(page, selector) == []
    shapes = page.locator(f"{selector} path[aria-roledescription='geoshape']")
    assert shapes.count() > 10  # one per LSOA, not one rectangle
    box = shapes.first.bounding_box()
    drawing = page.locator(f"{selector} svg.marks").bounding_box()
    assert box is not None and drawing is not None
    assert box["width"] * box["height"] < drawing["width"] * drawing["height"] / 4
    # shaded by each LSOA's figure, not one colour for all: the figures arrive as CSV text,
    # and an empty (withheld) one read as text was shaded like a figure instead of grey
    fills = shapes.evaluate_all("paths => new Set(paths.map(p => p.getAttribute('fill'))).size")
    assert fills >= colours


def test_lsoa_maps_draw_one_shape_per_lsoa_without_console_errors(
    page: Page,
    live_server: object,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Path],
    console_errors: list[str],
    approved_store: None,
) -> None:
    base = live_server.url
    log_in(Role.WORKSTREAM_LEAD)
    page.goto(f"{base}/data/workstreams/hospital-care/")
    _assert_map_drawn(page, "#stroke-map", screenshot)
    page.goto(f"{base}/data/population/")
    # the small sample withholds all but a few LSOAs' figures: grey and at least one shade
    _assert_map_drawn(page, "#lsoa-map", screenshot, colours=2)
    grey = page.locator("#lsoa-map path[aria-roledescription='geoshape'][fill='#d8dde0']")
    shaded = page.locator("#lsoa-map path[aria-roledescription='geoshape']:not([fill='#d8dde0'])")
    assert 0 < shaded.count() < grey.count()
    page.goto(f"{base}/data/tiers/")
    _assert_map_drawn(page, "#tiers-map", screenshot)
    assert console_errors == []
