"""The data area in Chromium: the data controller approves the dashboards purpose, then a
workstream lead reads the segment, cost (LSOA map), funnel and tiers pages with their charts
drawn."""

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
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def data_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser_user: Callable[[Role], User]
) -> Iterator[Governance]:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    write_sample(tmp_path / "kid" / "sample", SampleSpec(people=4_000, practices=30))
    gov = Governance(governance_dir(tmp_path))
    gov.request(
        services.standing_purpose("browser-analyst"), user="browser-analyst", role="analyst"
    )
    yield gov


def test_controller_approves_then_lead_reads_the_population_pages(
    page: Page,
    live_server: object,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Path],
    data_world: Governance,
) -> None:
    base = live_server.url
    log_in(Role.DATA_CONTROLLER)
    page.goto(f"{base}/data/segments/")
    expect(page.get_by_text("is requested")).to_be_visible()
    page.goto(f"{base}/data/purposes/")
    page.get_by_role("button", name="Approve Population health dashboards").click()
    expect(page.get_by_text("approved").first).to_be_visible()
    page.goto(f"{base}/data/audit/")
    expect(page.get_by_text("The chain verifies")).to_be_visible()
    screenshot("data-audit")

    page.context.clear_cookies()
    log_in(Role.WORKSTREAM_LEAD)
    page.goto(f"{base}/data/segments/?scheme=bridges_segment")
    expect(page.locator("#segment-cost[data-vega-ready]")).to_be_attached(timeout=15_000)
    expect(page.get_by_role("cell", name="Good health")).to_be_visible()
    screenshot("data-segments")
    assert axe_violations(page) == []
    page.goto(f"{base}/data/costs/?by=lsoa_code")
    expect(page.locator("#cost-chart[data-vega-ready]")).to_be_attached(timeout=30_000)
    expect(page.get_by_role("columnheader", name="LSOA", exact=True)).to_be_visible()
    screenshot("data-costs-lsoa")
    assert axe_violations(page) == []
    page.goto(f"{base}/data/practices/")
    expect(page.locator("#funnel[data-vega-ready]")).to_be_attached(timeout=15_000)
    screenshot("data-funnel")
    page.goto(f"{base}/data/tiers/")
    expect(page.locator("#tiers-map[data-vega-ready]")).to_be_attached(timeout=30_000)
    screenshot("data-tiers")
    assert axe_violations(page) == []
    assert any(
        e.user == "browser-workstream_lead" and "tiers" in e.what for e in data_world.entries()
    )
