"""An analyst reviews a framework question: most uncertain answers first, confirms or
corrects themes and stance, re-runs the assignment and sees the agreement it reaches."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from stpkit.consultation.synthetic import FRAMEWORK
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.frameworks import import_framework
from stpkit.web.consultation.models import AssignmentRun, ReviewLabel
from tests.browser.conftest import axe_violations
from tests.web.consultation.test_framework_pages import Q, make_consultation

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def framework_bytes() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["key", "name", "description", "position"])
    writer.writeheader()
    for t in FRAMEWORK:
        writer.writerow(
            {"key": t.key, "name": t.name, "description": t.description, "position": t.position}
        )
    return out.getvalue().encode()


def test_review_journey(
    page: Page,
    live_server: Any,
    log_in: Callable[[Role], None],
    screenshot: Callable[[str], Any],
) -> None:
    problems: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if _is_error(m) else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    log_in(Role.ANALYST)
    consultation, synthetic = make_consultation(60, slug="review-journey")
    result = import_framework(
        consultation=consultation,
        code=Q,
        data=framework_bytes(),
        filename="framework.csv",
        user=None,
    )
    assert result.ok
    known = {s.row["response_id"]: s for s in synthetic}

    page.goto(f"{live_server.url}/consultation/{consultation.slug}/q/{Q}/themes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes")
    screenshot("themes")
    # a summary that fits a few screens (one quote per theme, more behind "More quotes")
    assert page.evaluate("document.body.scrollHeight") < 4 * 900
    page.get_by_role("link", name="Review themes and stance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review themes and stance")
    expect(page.locator("[data-gain-none]")).to_be_visible()
    screenshot("review")
    assert page.evaluate("document.body.scrollHeight") < 5 * 900  # a few screens
    assert not axe_violations(page)

    for n in range(5):
        card = page.locator("[data-response]").first
        rid = card.get_attribute("data-response") or ""
        truth = known[rid]
        for t in FRAMEWORK:  # tick exactly the themes the answer makes
            box = card.get_by_label(t.name, exact=True)
            if (t.key in truth.themes) != box.is_checked():
                box.click()
        card.get_by_label(f"Stance of {rid}").select_option(truth.stance)
        card.get_by_role("button", name=f"Confirm review of {rid}").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(f"Review of {rid} saved")
        expect(page.locator(f'[data-response="{rid}"]')).to_have_count(0)  # not offered again
        label = ReviewLabel.objects.get(consultation=consultation, response_id=rid)
        assert sorted(label.theme_keys) == sorted(truth.themes) and label.stance == truth.stance
        assert label.held_back == (n == 4)  # every fifth review is held back
    screenshot("reviewed")

    page.get_by_role("button", name="Re-run the assignment, learning from the reviews").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("learning from 4 reviews")
    expect(page.locator("[data-gain-themes]")).to_be_visible()
    run = AssignmentRun.objects.filter(consultation=consultation).first()  # the latest
    assert run is not None and (run.learned_from, run.held_back) == (4, 1)
    screenshot("gain")
    assert not axe_violations(page)
    assert not problems, problems
    # the only requests allowed to fail: the NHS frontend stylesheet's web fonts, which it
    # asks of assets.nhs.uk (offline here; the browser falls back to Arial)
    assert all(url.startswith(NHS_FONTS) for url in failed), failed


NHS_FONTS = "https://assets.nhs.uk/fonts/"


def _is_error(message: ConsoleMessage) -> bool:
    """A console error, other than the browser's report of a failed request (checked
    separately, by URL)."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")
