"""The issue's bad-input and integrity list, through the pages people use: each refusal
shows a specific message and changes nothing; each accepted change leaves its record."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.urls import reverse

from stpkit.decisions import GovernanceRole, ScoringError, StageError, TimelineError, WeightsError
from stpkit.demo import decisions as demo
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.decisions import services
from stpkit.web.decisions.history import programme_history
from stpkit.web.decisions.models import (
    HurdleCriterion,
    PanelScore,
    Programme,
    RoleHolder,
    ScoringRound,
    Stage,
    TimelineTask,
)
from tests.web.decisions.helpers import logged_in, post_text, user
from tests.web.decisions.test_workflow import _criteria, _options, _programme


def test_hurdle_criteria_bad_input(people: dict[str, User]) -> None:
    prog = _programme(people, "hurdle_criteria")
    url = reverse("decisions:hurdles", args=[prog.slug])
    c = logged_in(people["sro"])
    add = {"action": "add", "name": "Volume", "metric": "min_unit_volume"}
    page = post_text(c, url, {**add, "minimum": "1500", "maximum": "500"})
    assert "minimum 1500.0 is above maximum 500.0" in page
    page = post_text(c, url, {**add, "minimum": "lots"})
    assert "Minimum: 'lots' is not a number" in page
    page = post_text(c, url, {"action": "add", "name": "Judged", "minimum": "3"})
    assert "has bounds but no metric" in page
    assert not HurdleCriterion.objects.filter(programme=prog).exists()
    post_text(c, url, {**add, "minimum": "500", "maximum": "1500"})
    page = post_text(c, url, {**add, "minimum": "600"})
    assert "already has a hurdle criterion named 'Volume'" in page
    h = HurdleCriterion.objects.get(programme=prog)
    assert (h.metric, h.minimum, h.maximum) == ("min_unit_volume", 500.0, 1500.0)
    # signed off: a closed stage refuses new criteria
    services.sign_off(stage=prog.stages.get(key="hurdle_criteria"), user=people["sro"])
    page = post_text(c, url, {"action": "add", "name": "Access"})
    assert "which is signed off: reopen it (with a reason) to change it" in page
    assert HurdleCriterion.objects.filter(programme=prog).count() == 1


def test_criteria_and_weights_bad_input(people: dict[str, User]) -> None:
    prog = _programme(people, "evaluation_criteria")
    url = reverse("decisions:criteria", args=[prog.slug])
    c = logged_in(people["sro"])
    page = post_text(c, url, {"action": "add", "group": "vibes", "key": "q", "name": "Quality"})
    assert "Unknown group 'vibes'" in page
    post_text(c, url, {"action": "add", "group": "quality", "key": "q", "name": "Quality"})
    page = post_text(c, url, {"action": "add", "group": "access", "key": "q", "name": "Again"})
    assert "already has a criterion with key 'q'" in page
    post_text(c, url, {"action": "add", "group": "access", "key": "a", "name": "Access"})
    page = post_text(c, url, {"action": "weights", "w-q": "70", "w-a": "abc"})
    assert "Access: 'abc' is not a number" in page
    post_text(c, url, {"action": "weights", "w-q": "70", "w-a": "20"})
    page = post_text(c, url, {"action": "lock"})
    assert "Swing weights must sum to 100; they sum to 90" in page
    prog.refresh_from_db()
    assert not prog.weights_locked
    post_text(c, url, {"action": "weights", "w-q": "70", "w-a": "30"})
    post_text(c, url, {"action": "lock"})
    prog.refresh_from_db()
    assert prog.weights_locked and prog.weights_locked_by == people["sro"]
    # changing locked weights without unlocking is refused, and so is adding a criterion
    page = post_text(c, url, {"action": "weights", "w-q": "50", "w-a": "50"})
    assert "The swing weights are locked" in page
    page = post_text(c, url, {"action": "add", "group": "workforce", "key": "w", "name": "Staff"})
    assert "The weights are locked: unlock them (with a reason) to add criteria" in page
    assert {x.key: x.weight for x in prog.evaluation_criteria.all()} == {"q": 70.0, "a": 30.0}
    page = post_text(c, url, {"action": "unlock", "reason": "why"})
    assert "needs a reason" in page
    post_text(c, url, {"action": "unlock", "reason": "The chair asked to revisit access"})
    prog.refresh_from_db()
    assert not prog.weights_locked
    unlock = [r for r in programme_history(prog) if r["field"] == "weights_locked"]
    assert unlock[0]["before"] is True and unlock[0]["after"] is False  # newest first
    assert unlock[0]["reason"] == "The chair asked to revisit access"


def test_scoring_rounds_from_the_page(people: dict[str, User]) -> None:
    prog = _programme(people, "evaluation")
    url = reverse("decisions:scoring", args=[prog.slug])
    office = logged_in(people["sro"])
    page = post_text(office, url, {"action": "open", "scorers": ["ann"]})
    assert "needs at least two scorers" in page
    assert not ScoringRound.objects.filter(programme=prog).exists()
    post_text(office, url, {"action": "open", "scorers": ["ann", "bob", "cat"]})
    rnd = ScoringRound.objects.get(programme=prog)
    assert sorted(u.username for u in rnd.scorers.all()) == ["ann", "bob", "cat"]
    page = post_text(office, url, {"action": "open", "scorers": ["ann", "bob"]})
    assert "Scoring round 1 is still open" in page
    # someone not on the panel cannot score
    form = {"action": "score"}
    for code in ("BAU", "X", "Y"):
        for key in ("quality", "access"):
            form[f"s-{code}-{key}"] = "5"
    page = post_text(logged_in(people["clinician"]), url, form)
    assert "is not on the panel for round 1" in page
    page = post_text(logged_in(people["ann"]), url, {**form, "s-X-access": ""})
    assert "Score X on Access: a score is needed" in page
    post_text(logged_in(people["ann"]), url, form)
    assert PanelScore.objects.filter(round=rnd).count() == 6
    page = post_text(logged_in(people["ann"]), url, form)
    assert "already scored" in page  # a scorer scoring twice
    assert PanelScore.objects.filter(round=rnd).count() == 6
    # weights cannot be unlocked once scoring began: not while their stage is closed, and
    # not after reopening it either, because scores rest on them
    with pytest.raises(StageError, match="signed off: reopen it"):
        services.unlock_weights(
            prog=prog, user=people["sro"], reason="Change of heart after scoring"
        )
    services.reopen(
        stage=prog.stages.get(key="evaluation_criteria"),
        user=people["chair"],
        reason="Revisit the criteria",
    )
    with pytest.raises(WeightsError, match="cannot be unlocked after scoring began"):
        services.unlock_weights(
            prog=prog, user=people["sro"], reason="Change of heart after scoring"
        )
    prog.refresh_from_db()
    assert prog.weights_locked


def test_scoring_needs_the_evaluation_stage_and_locked_weights(people: dict[str, User]) -> None:
    prog = _programme(people, "hurdle_sift")
    with pytest.raises(StageError, match="has not started"):
        services.open_round(prog=prog, user=people["sro"], scorers=[people["ann"], people["bob"]])
    prog = Programme.objects.get(pk=prog.pk)
    # Setting up an inconsistent record on purpose: weights unlocked in the evaluation stage.
    Stage.objects.filter(programme=prog, key="hurdle_sift").update(signed_off=True)
    Programme.objects.filter(pk=prog.pk).update(weights_locked=False)
    prog.refresh_from_db()
    with pytest.raises(ScoringError, match="locked first"):
        services.open_round(prog=prog, user=people["sro"], scorers=[people["ann"], people["bob"]])


def test_governance_roles_are_assigned_and_removed_on_the_record(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    url = reverse("decisions:programme", args=[prog.slug])
    c = logged_in(people["sro"])
    page = post_text(c, url, {"action": "assign_role", "user": "ann", "role": "pope"})
    assert "Unknown governance role 'pope'" in page
    post_text(c, url, {"action": "assign_role", "user": "ann", "role": "nhse_assurance_lead"})
    row = RoleHolder.objects.get(programme=prog, user=people["ann"])
    assert services.roles_of(prog, people["ann"]) == {GovernanceRole.NHSE_ASSURANCE_LEAD}
    page = post_text(
        c, url, {"action": "assign_role", "user": "ann", "role": "nhse_assurance_lead"}
    )
    assert "already holds the role NHS England assurance lead" in page
    page = post_text(c, url, {"action": "remove_role", "holder": row.pk, "reason": ""})
    assert "needs a reason" in page
    post_text(c, url, {"action": "remove_role", "holder": row.pk, "reason": "Left the programme"})
    assert not RoleHolder.objects.filter(pk=row.pk).exists()
    trail = [r for r in programme_history(prog) if "as NHS England assurance lead" in r["item"]]
    assert [r["action"] for r in trail if r["field"] == "role"] == ["Deleted", "Created"]
    assert trail[0]["reason"] == "Left the programme" and trail[0]["who"]
    # a reader (board member) cannot assign roles
    board = logged_in(user("reader", Role.BOARD_MEMBER))
    page = post_text(board, url, {"action": "assign_role", "user": "reader", "role": "sro"})
    assert "can read this programme but not change it" in page
    assert not RoleHolder.objects.filter(programme=prog, user__username="reader").exists()


def test_timeline_tasks_from_the_page(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    demo.load_timeline(prog, people["sro"])
    url = reverse("decisions:timeline", args=[prog.slug])
    c = logged_in(people["sro"])
    before = TimelineTask.objects.filter(programme=prog).count()
    task = {"action": "task", "key": "easter", "title": "Easter purdah", "start": "2018-02-05"}
    page = post_text(c, url, {**task, "depends_on": "nowhere"})
    assert "depends on 'nowhere', which is not in this scenario" in page
    page = post_text(c, url, {**task, "finish": "2018-02-01"})
    assert "finishes 01/02/2018, before it starts 05/02/2018" in page
    page = post_text(c, url, {**task, "key": "ic_1"})
    assert "already has a task 'ic_1'" in page
    assert TimelineTask.objects.filter(programme=prog).count() == before
    # a new step after launch 1 in scenario 1 only moves scenario 1's end
    post_text(c, url, {**task, "depends_on": "launch_1+3", "scenarios": ["one_ic"]})
    ends = {sc.key: fc.forecast_end for sc, _, fc in services.schedules(prog)}
    assert ends == {"one_ic": date(2018, 2, 5), "two_ic": date(2018, 3, 8)}
    post_text(c, url, {"action": "scenario", "key": "three_ic", "name": "Three meetings"})
    assert prog.scenarios.filter(key="three_ic").exists()
    with pytest.raises(TimelineError, match="dependency cycle"):
        services.add_task(
            prog=prog,
            user=people["sro"],
            key="loop",
            title="Loop",
            start=date(2017, 10, 1),
            finish=None,
            depends_on="loop",
        )


def test_a_hand_entered_option_keeps_its_options_framework_dimensions(
    people: dict[str, User],
) -> None:
    prog = _programme(people, "long_list")
    url = reverse("decisions:options", args=[prog.slug])
    c = logged_in(people["sro"])
    form = {
        "code": "4",
        "name": "Two major emergency centres",
        "description": "At William Harvey and QEQM",
        "members": "William Harvey; QEQM Margate",
        "scope": "East Kent",
        "service_solution": "Keogh model",
        "service_delivery": "Existing trust",
        "implementation": "Phased over two years",
        "funding": "Capital bid",
        "do_minimum": "1",
    }
    page = post_text(c, url, {**form, "code": ""})
    assert "An option needs a code and a name" in page
    post_text(c, url, form)
    o = prog.options.get(code="4")
    assert (o.scope, o.service_solution, o.service_delivery, o.implementation, o.funding) == (
        "East Kent",
        "Keogh model",
        "Existing trust",
        "Phased over two years",
        "Capital bid",
    )
    assert (
        o.do_minimum
        and not o.business_as_usual
        and o.member_list
        == [
            "William Harvey",
            "QEQM Margate",
        ]
    )
    created = [r for r in programme_history(prog) if r["item"] == f"option: {o}"]
    assert {r["field"]: r["after"] for r in created}["funding"] == "Capital bid"
    page = post_text(c, url, form)
    assert "already has an option with code '4'" in page


def test_a_closed_stage_refuses_edits_until_reopened_with_a_reason(
    people: dict[str, User],
) -> None:
    prog = _programme(people, "evaluation")  # long list and sift signed off
    options_url = reverse("decisions:options", args=[prog.slug])
    stage_url = reverse("decisions:stage", args=[prog.slug, "long_list"])
    sro = logged_in(people["sro"])
    page = post_text(sro, options_url, {"code": "Z", "name": "A late option"})
    assert "belongs to the stage 'Identify long list of options', which is signed off" in page
    assert not prog.options.filter(code="Z").exists()
    # only the stage's sign-off role or the SRO reopens: not a reader, nor an editor without
    page = post_text(
        logged_in(user("reader", Role.BOARD_MEMBER)),
        stage_url,
        {"action": "reopen", "reason": "I would like to add one"},
    )
    assert "needs the Senior responsible officer or the Senior responsible officer" not in page
    assert "Reopening 'Identify long list of options' needs the Senior responsible officer" in page
    page = post_text(
        logged_in(people["clinician"]), stage_url, {"action": "reopen", "reason": "Another idea"}
    )
    assert "you hold Clinical lead on this programme" in page
    assert prog.stages.get(key="long_list").signed_off
    page = post_text(sro, stage_url, {"action": "reopen", "reason": "short"})
    assert "needs a reason (at least 10 characters)" in page
    assert prog.stages.get(key="long_list").signed_off
    page = post_text(
        sro, stage_url, {"action": "reopen", "reason": "The senate asked for option Z"}
    )
    assert "Reopened 2 stage(s)" in page
    states = {s.key: s.signed_off for s in prog.stages.all()}
    assert not states["long_list"] and not states["hurdle_sift"] and states["hurdle_criteria"]
    sift = prog.stages.get(key="hurdle_sift")
    assert sift.reopened_reason.endswith("The senate asked for option Z")
    post_text(sro, options_url, {"code": "Z", "name": "A late option"})
    assert prog.options.filter(code="Z").exists()
    html_page = html.unescape(
        sro.get(reverse("decisions:programme", args=[prog.slug])).content.decode()
    )
    assert "Reopened: The senate asked for option Z" in html_page


def test_an_option_is_edited_on_its_page_in_the_long_list_stage_only(
    people: dict[str, User],
) -> None:
    prog = _programme(people, "long_list")
    _options(prog, people["sro"])
    x = prog.options.get(code="X")
    url = reverse("decisions:option", args=[prog.slug, "X"])
    c = logged_in(people["sro"])
    page = html.unescape(c.get(url).content.decode())
    assert "Option X" in page and "volume" in page  # its model figure
    form = {"version": str(x.version), "name": "Option X, revised", "funding": "Capital bid"}
    post_text(c, url, form)
    x.refresh_from_db()
    assert (x.name, x.funding, x.version) == ("Option X, revised", "Capital bid", 2)
    page = post_text(c, url, {**form, "name": "A stale edit"})  # the form of version 1 again
    assert "after you opened it" in page
    page = post_text(c, url, {"version": "2", "name": ""})
    assert "Option 'X' was not changed: name: This field cannot be blank." in page
    x.refresh_from_db()
    assert x.name == "Option X, revised"
    page = html.unescape(c.get(url).content.decode())
    assert "Name from “Option X” to “Option X, revised”" in page  # its history
    services.sign_off(stage=prog.stages.get(key="long_list"), user=people["sro"])
    page = post_text(c, url, {"version": "2", "name": "After the sign-off"})
    assert "which is signed off: reopen it" in page
    x.refresh_from_db()
    assert x.name == "Option X, revised"


def test_scoring_scale_and_moderation_threshold_are_agreed_before_the_lock(
    people: dict[str, User],
) -> None:
    prog = _programme(people, "evaluation_criteria")
    url = reverse("decisions:criteria", args=[prog.slug])
    c = logged_in(people["sro"])
    page = post_text(c, url, {"action": "rules", "scale_max": "5", "moderation_spread": "6"})
    assert "must lie between 0 and the top of the scale (5), not 6" in page
    page = post_text(c, url, {"action": "rules", "scale_max": "0", "moderation_spread": "0"})
    assert "must be above 0, not 0" in page
    post_text(c, url, {"action": "rules", "scale_max": "5", "moderation_spread": "2"})
    prog.refresh_from_db()
    assert (prog.scale_max, prog.moderation_spread) == (5.0, 2.0)
    assert "Scores run from 0 to 5; a spread above 2 is moderated." in html.unescape(
        c.get(url).content.decode()
    )
    _criteria(prog, people["sro"])  # weights 60/40, locked
    page = post_text(c, url, {"action": "rules", "scale_max": "10", "moderation_spread": "3"})
    assert "locked with the weights" in page
    prog.refresh_from_db()
    assert prog.scale_max == 5.0
    trail = {r["field"]: (r["before"], r["after"]) for r in programme_history(prog)}
    assert trail["scale_max"] == (10.0, 5.0) and trail["moderation_spread"] == (3.0, 2.0)
