"""Journey: import benchmarks -> opportunity -> working group -> board summary (Word)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from stpkit.demo.productivity import load
from stpkit.productivity import kent_medway as km
from stpkit.web.accounts.roles import Role
from stpkit.web.productivity import models as m
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _outside_charts(page: Page, violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Violations not caused by vega-embed's action menu inside the shared chart macro.

    The shared macro (stpkit/macros.jinja, not ours) gives the chart div role="img" while
    vega-embed puts a menu (a <summary> with only an icon) inside it: axe reports
    nested-interactive and summary-name there. Reported to the owner of the shared macro
    and charts.js; every other violation, and these anywhere else, still fail this test.
    """
    in_chart = "sel => [...document.querySelectorAll(sel)].every(e => e.closest('.stpkit-chart'))"
    return [
        v
        for v in violations
        if not (
            v["id"] in ("nested-interactive", "summary-name")
            and all(page.evaluate(in_chart, n["target"][0]) for n in v["nodes"])
        )
    ]


def test_import_opportunity_working_group_board_summary(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    tmp_path: Path,
) -> None:
    log_in(Role.PROGRAMME_OFFICE)
    load()
    m.ProviderMetric.objects.all().delete()
    m.PeerGroupMember.objects.all().delete()
    metrics, peers, bad = tmp_path / "metrics.csv", tmp_path / "peers.csv", tmp_path / "bad.csv"
    metrics.write_bytes(km.to_csv(km.synthetic_metrics()))
    peers.write_bytes(km.to_csv(km.peer_group_rows()))
    rows = km.synthetic_metrics()
    rows[3]["denominator"] = ""
    bad.write_bytes(km.to_csv(rows))

    page.goto(f"{live_server.url}/productivity/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Productivity")
    page.get_by_role("link", name="Import benchmarks").click()
    page.get_by_label("Provider metrics").set_input_files(str(bad))
    page.get_by_label("Peer groups (optional)").set_input_files(str(peers))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Nothing was imported: 1 problem to fix")).to_be_visible()
    expect(page.get_by_test_id("import-issues")).to_contain_text("denominator")
    screenshot("import-refused")
    assert m.ProviderMetric.objects.count() == 0

    page.get_by_label("Provider metrics").set_input_files(str(metrics))
    page.get_by_label("Peer groups (optional)").set_input_files(str(peers))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benchmark opportunity")
    expect(page.get_by_text("Imported 396 metric values for 44 providers")).to_be_visible()
    expect(page.locator("[data-figure=opportunity-total]")).to_contain_text("£")
    screenshot("opportunity")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Length of stay, emergency admissions aged 75+").click()
    expect(page.locator("#league[data-vega-ready]")).to_be_visible()
    screenshot("metric-league-table")
    page.go_back()
    page.get_by_role("link", name="care of the elderly").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Care of the elderly")
    # the seed's 2020/21 target, phased for the demo's 2017/18 and 2018/19
    expect(page.locator("[data-figure=target]")).to_have_text(["£4.8m", "£8.4m", "£12.0m"])
    expect(page.locator("#delivery[data-vega-ready]")).to_be_visible()
    page.get_by_role("link", name="Edit Delayed transfers of care reduction").click()
    page.get_by_label("Confidence").select_option("A")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved Delayed transfers of care reduction")).to_be_visible()
    expect(page.get_by_text("Confidence from “Red” to “Amber”")).to_be_visible()
    screenshot("working-group")
    assert _outside_charts(page, axe_violations(page)) == []

    page.goto(f"{live_server.url}/productivity/bridge/")
    expect(page.locator("[data-figure=closing]")).to_have_text("-29")
    expect(page.locator("#waterfall[data-vega-ready]")).to_be_visible()
    screenshot("bridge")

    page.goto(f"{live_server.url}/productivity/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Board summary (Word)").click()
    path = tmp_path / "summary.docx"
    info.value.save_as(path)
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "Kent and Medway: productivity programme"
    assert [r.cells[0].text for r in doc.tables[0].rows[1:]][6] == "Care of the elderly"
    assert len(doc.inline_shapes) == 1
