"""The population health pages in Chromium: charts drawn, tables paged, no accessibility
violations (the harness fails on console errors)."""

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
def approved_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser_user: Callable[[Role], User]
) -> Iterator[Governance]:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    write_sample(tmp_path / "kid" / "sample", SampleSpec(people=3_000, practices=20))
    gov = Governance(governance_dir(tmp_path))
    purpose = services.standing_purpose("browser-analyst")
    gov.request(purpose, user="browser-analyst", role="analyst")
    gov.decide(purpose.key, approve=True, user="browser-controller", role="data_controller")
    yield gov


def test_lead_reads_inequalities_risk_demand_and_capitation(
    page: Page,
    live_server: object,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Path],
    approved_world: Governance,
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(Role.WORKSTREAM_LEAD)
    page.goto(f"{base}/data/inequalities/")
    expect(page.locator("#inequality-chart[data-vega-ready]")).to_be_attached(timeout=30_000)
    expect(page.get_by_role("cell", name="1 (most deprived)").first).to_be_visible()
    screenshot("data-inequalities")
    assert axe_violations(page) == []
    page.goto(f"{base}/data/risk/")
    expect(page.get_by_text("area under the ROC curve")).to_be_visible(timeout=60_000)
    screenshot("data-risk")
    assert axe_violations(page) == []
    page.goto(f"{base}/data/demand/?view=condition")
    expect(page.locator("#beds-projection[data-vega-ready]")).to_be_attached(timeout=30_000)
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("page 2 of")).to_be_visible()
    screenshot("data-demand")
    assert axe_violations(page) == []
    page.goto(f"{base}/data/capitation/?footprint=community_hub")
    expect(page.get_by_role("columnheader", name="Needs-weighted budget (GBP)")).to_be_visible()
    screenshot("data-capitation")
    assert axe_violations(page) == []
