"""The programme timeline as a Gantt chart in Chromium: labelled milestones, a dashed line
at the demo's "today", baselines and the dependency path; and the delivery confidence
trend, whose table must not be cut off. Fails on any console error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stpkit.demo import board, programme
from stpkit.demo.clock import AS_AT
from stpkit.web.accounts.roles import Role

pytestmark = pytest.mark.browser


def test_gantt_has_labels_a_today_line_and_the_dependency_path(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    console_errors: list[str],
    settings: Any,
) -> None:
    settings.STPKIT_TODAY = AS_AT
    programme.load()
    board.load()
    log_in(Role.BOARD_MEMBER)
    page.goto(f"{live_server.url}/programme/timeline/")
    chart = page.locator("#programme-timeline")
    expect(page.locator("#programme-timeline[data-vega-ready]")).to_have_count(1)
    expect(chart.locator("svg.marks")).to_have_count(1)
    labels = chart.locator("svg text")
    expect(labels.filter(has_text=f"Today, {AS_AT.day} {AS_AT:%b %Y}")).to_have_count(1)
    # Every milestone row is labelled with its workstream and title.
    expect(labels.filter(has_text="Hospital care: ").first).to_be_visible()
    # The today line is drawn as a dashed rule.
    assert chart.locator("svg path[stroke-dasharray], svg line[stroke-dasharray]").count() >= 1
    path = page.get_by_role("list").filter(has_text="forecast")
    expect(path.locator("li").first).to_be_visible()
    screenshot("gantt")
    assert not any("NaN" in e for e in console_errors)
    assert console_errors == []


def test_trend_table_is_not_cut_off(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    console_errors: list[str],
) -> None:
    programme.load()
    board.load()
    log_in(Role.BOARD_MEMBER)
    page.goto(f"{live_server.url}/programme/board/trend/")
    expect(page.locator("#rag-trend[data-vega-ready]")).to_have_count(1)
    table = page.locator("table").filter(has_text="Programme (worst)")
    last_header = table.locator("thead th").last
    expect(last_header).to_have_text(f"{date(2018, 3, 1):%b %Y}")
    # The last month's column is on screen, not hidden behind the page edge or a scroller.
    box = last_header.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] + box["width"] <= viewport["width"]
    # And the chart's own labels are inside its box (the x axis is not cut off).
    svg = page.locator("#rag-trend svg").first.bounding_box()
    figure = page.locator("#rag-trend").bounding_box()
    assert svg is not None and figure is not None
    assert svg["height"] <= figure["height"] + 1 and svg["width"] <= figure["width"] + 1
    screenshot("trend")
    assert console_errors == []


def test_gantt_filters_to_one_workstream(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
    console_errors: list[str],
    settings: Any,
) -> None:
    settings.STPKIT_TODAY = AS_AT
    programme.load()
    log_in(Role.BOARD_MEMBER)
    page.goto(f"{live_server.url}/programme/timeline/")
    page.locator("#timeline-filter select#workstream").select_option(label="Hospital care")
    page.locator("#timeline-filter").get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme timeline: Hospital care")
    chart = page.locator("#programme-timeline")
    expect(page.locator("#programme-timeline[data-vega-ready]")).to_have_count(1)
    labels = chart.locator("svg text")
    expect(labels.filter(has_text="Hospital care: ").first).to_be_visible()
    # no other workstream's milestone rows are drawn
    expect(labels.filter(has_text="Digital: ")).to_have_count(0)
    expect(labels.filter(has_text="Local care: ")).to_have_count(0)
    expect(labels.filter(has_text=f"Today, {AS_AT.day} {AS_AT:%b %Y}")).to_have_count(1)
    screenshot("gantt-hospital-care")
    assert console_errors == []
