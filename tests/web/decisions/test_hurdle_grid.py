"""The whole sift in one post (every option against every judged hurdle), and a sign-off
button that is not offered while its conditions fail or to someone without the role."""

from __future__ import annotations

from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import HurdleCriterion, HurdleResult
from tests.web.decisions.helpers import get_text, logged_in, post_text
from tests.web.decisions.test_workflow import _options, _programme


def test_one_post_records_every_option_against_every_judged_hurdle(
    people: dict[str, User],
) -> None:
    prog = _programme(people, "hurdle_sift")  # long list signed off, hurdle "Volume"
    sro = people["sro"]
    audited_save(HurdleCriterion(programme=prog, name="Workforce"), sro)
    url = reverse("decisions:hurdles", args=[prog.slug])
    client = logged_in(sro)
    page = get_text(client, url)
    assert 'value="judge_all"' in page and 'name="r-X-' in page
    hurdles = list(prog.hurdle_criteria.order_by("pk"))
    options = list(prog.options.order_by("code"))
    grid = {"action": "judge_all"}
    for o in options:
        for h in hurdles:
            fails = o.code == "BAU"
            grid[f"r-{o.code}-{h.pk}"] = "fail" if fails else "pass"
            grid[f"why-{o.code}-{h.pk}"] = "Below 500 a year" if fails else ""

    # one fail without its reason: refused by name, nothing saved
    missing = {**grid, f"why-BAU-{hurdles[1].pk}": ""}
    page = post_text(client, url, missing)
    assert "A failed hurdle needs its reason: BAU on Workforce" in page
    assert "Nothing was saved" in page
    assert not HurdleResult.objects.filter(option__programme=prog).exists()

    page = post_text(client, url, grid)
    n = len(options) * len(hurdles)
    assert f"Recorded {n} hurdle results (2 fails)" in page
    results = HurdleResult.objects.filter(option__programme=prog)
    assert results.count() == n
    assert {(r.option.code, r.passed) for r in results} == {
        ("BAU", False),
        ("X", True),
        ("Y", True),
    }


def test_sign_off_is_not_offered_while_its_conditions_fail(people: dict[str, User]) -> None:
    prog = _programme(people, "hurdle_sift")  # no hurdle results yet: the sift cannot end
    url = reverse("decisions:stage", args=[prog.slug, "hurdle_sift"])
    chair = get_text(logged_in(people["chair"]), url)
    assert "data-sign-off-blocked" in chair and "It cannot be signed off yet" in chair
    assert 'value="sign_off"' not in chair
    assert "disabled" in chair.split("data-sign-off-blocked")[1]


def test_sign_off_is_not_offered_to_someone_without_the_role(people: dict[str, User]) -> None:
    prog = _programme(people, "long_list")
    _options(prog, people["sro"])
    url = reverse("decisions:stage", args=[prog.slug, "long_list"])
    sro = get_text(logged_in(people["sro"]), url)
    assert 'value="sign_off"' in sro and "data-sign-off-blocked" not in sro
    bob = get_text(logged_in(people["bob"]), url)
    assert 'value="sign_off"' not in bob
    assert "Only the" in bob and "may sign it off" in bob
