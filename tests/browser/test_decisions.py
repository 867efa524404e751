"""A service change in the browser: from the long list to the preferred option.

The stroke programme starts at its hurdle sift with the long list the stroke model
generated (every three-HASU configuration and today). The programme office checks the
model's hurdles and sifts the long list to the short list; the Joint Committee chair signs
the sift off; the office opens a scoring round for three scorers, who each score on their
own without seeing the others' marks; the office closes the round, moderates the wide
spread and records the preferred option; the chair signs the evaluation off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stpkit.demo import decisions as demo
from stpkit.web.accounts.models import User
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Programme
from tests.browser.conftest import PASSWORD, axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(browser_user: Callable[..., Any]) -> Programme:
    prog = demo.load_stroke(scored=False, sifted=False)
    for user in User.objects.filter(
        username__in=["office", "panel-clinician", "panel-finance", "board"]
    ):
        user.set_password(PASSWORD)
        user.save()
    return prog


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def _score(page: Page, base: str, prog: Programme, bump: float = 0.0) -> None:
    page.goto(f"{base}/decisions/p/{prog.slug}/scoring/")
    options = services.candidate_options(prog)
    criteria = list(prog.evaluation_criteria.all())
    for i, o in enumerate(options):
        for j, c in enumerate(criteria):
            value = 4 + (i + j) % 4 + (bump if (i, j) == (0, 0) else 0)
            page.locator(f'[id="s-{o.code}-{c.key}"]').fill(f"{value:g}")
            if (i, j) == (0, 0):
                page.locator(f'[id="r-{o.code}-{c.key}"]').fill(f"Rationale for {value:g}")
    page.get_by_role("button", name="Submit my scores").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("scores are recorded")


@pytest.mark.slow
def test_long_list_to_preferred_option_with_three_scorers(
    page: Page, live_server: Any, programme: Programme, screenshot: Callable[[str], Any]
) -> None:
    base = live_server.url
    prog = programme
    _log_in(page, base, "office")
    page.goto(f"{base}/decisions/")
    page.get_by_role("link", name=prog.name).click()
    expect(page.locator("[data-stage=long_list]")).to_have_attribute("data-state", "signed_off")
    expect(page.locator("[data-stage=hurdle_sift]")).to_have_attribute("data-state", "current")
    expect(page.locator("[data-funnel=long] strong")).to_have_text("36")
    expect(page.locator("[data-funnel=short] strong")).to_have_text("0")
    screenshot("long-list")
    page.get_by_role("link", name="Hurdle criteria", exact=True).click()
    expect(page.locator("main")).to_contain_text("Not assessed")
    page.get_by_role("button", name="Check computed hurdles against model figures").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("option-hurdle pairs")
    page.get_by_role("button", name="Sift: move passing options forward").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "6 options go forward, 30 rejected"
    )
    screenshot("sifted")
    page.get_by_role("link", name="Options", exact=True).click()
    expect(page.get_by_role("cell", name="DA+MD+MW", exact=True)).to_be_visible()
    expect(page.locator("table")).to_contain_text("below the minimum 0.95")
    screenshot("options-with-reasons")

    # the Joint Committee chair signs the sift off; the evaluation stage opens
    _log_in(page, base, "board")
    page.goto(f"{base}/decisions/p/{prog.slug}/stage/hurdle_sift/")
    page.get_by_role("button", name="Sign off this stage").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("signed off")
    page.get_by_role("link", name="Stages", exact=True).click()
    expect(page.locator("[data-funnel=short] strong")).to_have_text("6")
    expect(page.locator("[data-stage=evaluation]")).to_have_attribute("data-state", "current")
    screenshot("stages")

    _log_in(page, base, "office")
    page.goto(f"{base}/decisions/p/{prog.slug}/criteria/")
    expect(page.locator("[data-weights-state]")).to_contain_text("Locked")
    expect(page.locator("[data-total]")).to_have_text("100.0")
    screenshot("weights-locked")
    page.get_by_role("link", name="Panel scoring", exact=True).click()
    for name in ("Demo Programme office", "Panel Clinician", "Panel Finance lead"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Open the scoring round").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Round 1 opened for 3 scorers"
    )
    # the editor's forms (governance roles, evidence, timeline tasks) pass axe
    for where in ("", "timeline/"):
        page.goto(f"{base}/decisions/p/{prog.slug}/{where}")
        violations = axe_violations(page)
        assert not violations, (where, [(v["id"], v["help"]) for v in violations])

    _score(page, base, prog)
    expect(page.locator("[data-submitted]")).to_contain_text("Demo Programme office")
    screenshot("office-scored")

    _log_in(page, base, "panel-clinician")
    page.goto(f"{base}/decisions/p/{prog.slug}/scoring/")
    expect(page.locator("[data-submitted]")).to_have_text("Demo Programme office")
    expect(page.locator("[data-my-scores]")).to_have_count(0)  # nobody's marks are shown
    expect(page.locator("body")).not_to_contain_text("Rationale for 4")  # nor rationales
    screenshot("clinician-before-scoring")
    violations = axe_violations(page)  # pages with charts: see the report on vega-embed
    assert not violations, [(v["id"], v["help"]) for v in violations]
    _score(page, base, prog, bump=4)  # a wide spread on the first option's first criterion
    _log_in(page, base, "panel-finance")
    _score(page, base, prog)
    screenshot("finance-scored")

    _log_in(page, base, "office")
    page.goto(f"{base}/decisions/p/{prog.slug}/scoring/")
    page.get_by_role("button", name="Close the round and reveal the scores").click()
    expect(page.locator("[data-round-state]")).to_contain_text("closed")
    expect(page.locator("[data-table=spread]")).to_contain_text("(wide)")
    # each scorer's rationale beside the spread, now the round is closed
    expect(page.locator("[data-table=spread]")).to_contain_text("Rationale for 8")
    page.get_by_label("Agreed score").fill("6")
    page.get_by_label("Reason").fill("The clinician's mark rested on a misread travel time")
    page.get_by_role("button", name="Record moderated score").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Moderated score")
    screenshot("moderated")

    page.get_by_role("link", name="Results", exact=True).click()
    # the scores name one preferred option, or say which options tie for first
    first = page.locator("[data-preferred], [data-tied-option]").first
    expect(first).not_to_be_empty()
    preferred = first.inner_text()
    expect(page.locator(".stpkit-chart svg, .stpkit-chart canvas").first).to_be_visible()
    screenshot("results")
    page.get_by_label("Preferred option", exact=True).select_option(preferred)
    page.get_by_role("button", name="Record as preferred option").click()
    expect(page.locator("[data-recorded-preferred]")).to_contain_text(preferred)

    # the programme office is not the Joint Committee chair: the conditions are met, but its
    # sign-off button is shown disabled with the reason (the role), not offered
    page.goto(f"{base}/decisions/p/{prog.slug}/stage/evaluation/")
    expect(page.get_by_role("button", name="Sign off this stage")).to_be_disabled()
    why = page.locator("[data-sign-off-blocked]")
    expect(why).to_contain_text("Only the Chair of the CCG Joint Committee may sign it off")
    expect(why).not_to_contain_text("cannot be signed off yet")
    _log_in(page, base, "board")
    page.goto(f"{base}/decisions/p/{prog.slug}/stage/evaluation/")
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["help"]) for v in violations]
    expect(page.locator("[data-sign-off-blocked]")).to_have_count(0)
    page.get_by_role("button", name="Sign off this stage").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("signed off")
    page.get_by_role("link", name="Stages", exact=True).click()
    expect(page.locator("[data-stage=evaluation]")).to_have_attribute("data-state", "signed_off")
    expect(page.locator("[data-stage=pcbc]")).to_have_attribute("data-state", "current")
    screenshot("evaluation-signed-off")
    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(page.locator("[data-scenario=two_ic] [data-forecast-end]")).to_have_text("08/03/2018")
    screenshot("timeline")
