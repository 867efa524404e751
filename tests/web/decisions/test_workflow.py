"""The governed workflow through the models: rules refused with their message, nothing
changed by a refused action, and the audit trail holding who, when, before and after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.decisions import GovernanceRole, ScoringError, SignOffError, StageError, WeightsError
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.core.audit import audited_save, history_for
from stpkit.web.decisions import services
from stpkit.web.decisions.history import programme_history
from stpkit.web.decisions.models import (
    EvaluationCriterion,
    HurdleCriterion,
    PanelScore,
    Programme,
    RoleHolder,
    Stage,
)


def _programme(people: dict[str, User], upto: str) -> Programme:
    """A small stroke programme signed off up to (not including) stage `upto`."""
    prog = services.create_programme(name="Test change", slug="test-change", process_key="stroke")
    for who, role in [
        ("sro", GovernanceRole.SRO),
        ("chair", GovernanceRole.JOINT_COMMITTEE_CHAIR),
        ("clinician", GovernanceRole.CLINICAL_LEAD),
    ]:
        RoleHolder.objects.create(programme=prog, user=people[who], role=role.value)
    sro, chair = people["sro"], people["chair"]
    steps = [
        (
            "case_for_change",
            sro,
            lambda: services.add_evidence(prog=prog, user=sro, kind="document", title="Case"),
        ),
        (
            "service_models",
            people["clinician"],
            lambda: services.add_evidence(
                prog=prog, user=sro, kind="service_model", title="HASU model"
            ),
        ),
        (
            "hurdle_criteria",
            sro,
            lambda: audited_save(HurdleCriterion(programme=prog, name="Volume"), sro),
        ),
        ("evaluation_criteria", chair, lambda: _criteria(prog, sro)),
        ("long_list", sro, lambda: _options(prog, sro)),
        ("hurdle_sift", chair, lambda: _sift(prog, sro)),
    ]
    for key, signer, work in steps:
        if key == upto:
            break
        work()
        services.sign_off(stage=prog.stages.get(key=key), user=signer, on=date(2017, 10, 1))
    return prog


def _criteria(prog: Programme, user: User) -> None:
    for key, name in [("quality", "Quality"), ("access", "Access")]:
        audited_save(EvaluationCriterion(programme=prog, group=key, key=key, name=name), user)
    services.set_weights(prog=prog, user=user, weights={"quality": 60, "access": 40})
    services.lock_weights(prog=prog, user=user)


def _options(prog: Programme, user: User) -> None:
    services.add_option(prog=prog, user=user, code="BAU", name="As today", business_as_usual=True)
    for code in ("X", "Y"):
        services.add_option(
            prog=prog, user=user, code=code, name=f"Option {code}", metrics={"volume": 600}
        )


def _sift(prog: Programme, user: User) -> None:
    h = prog.hurdle_criteria.get()
    for o in prog.options.all():
        services.record_hurdle(
            option=o,
            criterion=h,
            passed=o.code != "BAU",
            reason="Below 500 a year" if o.code == "BAU" else "",
            user=user,
        )
    services.sift(prog=prog, user=user)


def test_stages_cannot_be_skipped_and_the_wrong_role_is_refused(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    with pytest.raises(SignOffError, match="cannot be skipped"):
        services.sign_off(stage=prog.stages.get(key="service_models"), user=people["clinician"])
    services.add_evidence(prog=prog, user=people["sro"], kind="document", title="Case for change")
    with pytest.raises(SignOffError, match="Senior responsible officer"):
        services.sign_off(stage=prog.stages.get(key="case_for_change"), user=people["chair"])
    assert not prog.stages.get(key="case_for_change").signed_off
    stage = services.sign_off(stage=prog.stages.get(key="case_for_change"), user=people["sro"])
    assert stage.signed_off and stage.signed_off_as == GovernanceRole.SRO.value
    with pytest.raises(StageError, match="signed off: reopen it"):
        services.add_evidence(prog=prog, user=people["sro"], kind="document", title="Late evidence")


def test_reopen_needs_a_reason_and_is_recorded(people: dict[str, User]) -> None:
    prog = _programme(people, "long_list")
    crit = prog.stages.get(key="evaluation_criteria")
    with pytest.raises(StageError, match="needs a reason"):
        services.reopen(stage=crit, user=people["chair"], reason="")
    reopened = services.reopen(
        stage=crit, user=people["chair"], reason="Clinical senate asked for a workforce criterion"
    )
    assert [s.key for s in reopened] == ["evaluation_criteria"]
    crit.refresh_from_db()
    assert not crit.signed_off
    record = history_for(crit).first()
    assert record is not None and record.reason.startswith("Clinical senate")
    assert record.changes["signed_off"] == [True, False]
    assert record.user == people["chair"]


def test_weights_must_sum_to_100_and_lock_before_scoring(people: dict[str, User]) -> None:
    prog = _programme(people, "evaluation_criteria")
    for key in ("quality", "access"):
        audited_save(
            EvaluationCriterion(programme=prog, group=key, key=key, name=key), people["sro"]
        )
    services.set_weights(prog=prog, user=people["sro"], weights={"quality": 60, "access": 30})
    with pytest.raises(WeightsError, match="sum to 90"):
        services.lock_weights(prog=prog, user=people["sro"])
    services.set_weights(prog=prog, user=people["sro"], weights={"access": 40})
    services.lock_weights(prog=prog, user=people["sro"])
    with pytest.raises(WeightsError, match="locked"):
        services.set_weights(prog=prog, user=people["sro"], weights={"access": 45})
    q = prog.evaluation_criteria.get(key="access")
    changes = [r.changes.get("weight") for r in history_for(q) if r.action == "update"]
    assert [0.0, 30.0] in changes and [30.0, 40.0] in changes
    # scoring cannot start before the evaluation stage, whose entry needs locked weights
    with pytest.raises(StageError, match="has not started"):
        services.open_round(prog=prog, user=people["sro"], scorers=[people["ann"]])


def test_scoring_is_independent_and_hidden_until_the_round_closes(
    people: dict[str, User], client_for: Callable[[Role], Client]
) -> None:
    prog = _programme(people, "evaluation")
    ann, bob, cat = people["ann"], people["bob"], people["cat"]
    rnd = services.open_round(prog=prog, user=people["sro"], scorers=[ann, bob, cat])
    bau = {("BAU", "quality"): 1, ("BAU", "access"): 10}  # today, kept as comparator
    marks = {
        ann: {("X", "quality"): 8, ("X", "access"): 4, ("Y", "quality"): 5, ("Y", "access"): 9},
        bob: {("X", "quality"): 8, ("X", "access"): 4, ("Y", "quality"): 5, ("Y", "access"): 9},
        cat: {("X", "quality"): 2, ("X", "access"): 4, ("Y", "quality"): 5, ("Y", "access"): 9},
    }
    for m in marks.values():
        m.update(bau)
    services.submit_scores(
        rnd=rnd, scorer=ann, scores={k: (float(v), "") for k, v in marks[ann].items()}
    )
    with pytest.raises(ScoringError, match="already scored"):
        services.submit_scores(rnd=rnd, scorer=ann, scores={("X", "quality"): (7.0, "")})
    with pytest.raises(ScoringError, match="outside 0 to 10"):
        services.submit_scores(rnd=rnd, scorer=bob, scores={("X", "quality"): (11.0, "")})
    with pytest.raises(ScoringError, match="missing"):
        services.close_round(rnd=rnd, user=people["sro"])
    # Bob, on the panel, sees that Ann submitted but not her marks, on the page or the trail.
    client = Client()
    client.force_login(bob)
    html = client.get(reverse("decisions:scoring", args=[prog.slug])).content.decode()
    assert "ann" in html and "X on quality: 8" not in html and 'name="s-X-quality"' in html
    assert not [r for r in programme_history(prog, bob) if "scored" in str(r["item"])]
    mine = [r for r in programme_history(prog, ann) if "scored" in str(r["item"])]
    assert mine  # a scorer sees their own
    for scorer in (bob, cat):
        services.submit_scores(
            rnd=rnd, scorer=scorer, scores={k: (float(v), "") for k, v in marks[scorer].items()}
        )
    assert services.evaluation(prog) is None  # no results while the round is open
    services.close_round(rnd=rnd, user=people["sro"])
    with pytest.raises(ScoringError, match="closed"):
        services.submit_scores(rnd=rnd, scorer=ann, scores={("X", "quality"): (7.0, "")})
    assert services.facts(prog)["unmoderated"] == 1  # X quality: 8, 8, 2 -> spread 6
    with pytest.raises(SignOffError, match="wide spread is moderated"):
        services.sign_off(stage=prog.stages.get(key="evaluation"), user=people["chair"])
    x = prog.options.get(code="X")
    quality = prog.evaluation_criteria.get(key="quality")
    with pytest.raises(ScoringError, match="reason"):
        services.moderate(
            rnd=rnd, user=people["sro"], option=x, criterion=quality, score=7.0, reason=""
        )
    services.moderate(
        rnd=rnd,
        user=people["sro"],
        option=x,
        criterion=quality,
        score=7.0,
        reason="Panel agreed the outlier misread",
    )
    ev = services.evaluation(prog)
    assert ev is not None
    # X: 0.6*70 + 0.4*40 = 58; Y: 0.6*50 + 0.4*90 = 66; BAU: 0.6*10 + 0.4*100 = 46
    totals = {o.name: round(float(t), 6) for o, t in zip(ev.options, ev.totals, strict=True)}
    assert totals == {"BAU": 46.0, "X": 58.0, "Y": 66.0}
    assert ev.preferred.name == "Y"
    services.choose_preferred(prog=prog, user=people["sro"], option=prog.options.get(code="Y"))
    stage = services.sign_off(stage=prog.stages.get(key="evaluation"), user=people["chair"])
    assert stage.signed_off
    assert PanelScore.objects.filter(round=rnd).count() == 18


def test_signing_off_through_the_page(
    people: dict[str, User], client_for: Callable[[Role], Client]
) -> None:
    prog = _programme(people, "case_for_change")
    services.add_evidence(prog=prog, user=people["sro"], kind="document", title="Case")
    url = reverse("decisions:stage", args=[prog.slug, "case_for_change"])
    wrong = Client()
    wrong.force_login(people["chair"])
    page = wrong.post(url, {"action": "sign_off"}, follow=True).content.decode()
    assert "must be signed off by the Senior responsible officer" in page
    assert not Stage.objects.get(programme=prog, key="case_for_change").signed_off
    right = Client()
    right.force_login(people["sro"])
    right.post(url, {"action": "sign_off"})
    assert Stage.objects.get(programme=prog, key="case_for_change").signed_off
    version = Stage.objects.get(programme=prog, key="service_models").version
    owner_url = reverse("decisions:stage", args=[prog.slug, "service_models"])
    right.post(
        owner_url, {"action": "owner", "owner": "Clinical reference group", "version": version}
    )
    page = right.post(
        owner_url, {"action": "owner", "owner": "Someone else", "version": version}, follow=True
    ).content.decode()
    assert "after you opened it" in page  # a stale form does not overwrite the first edit
    assert Stage.objects.get(programme=prog, key="service_models").owner == (
        "Clinical reference group"
    )
    trail = right.get(reverse("decisions:history", args=[prog.slug]) + "?format=csv")
    text = trail.content.decode("utf-8-sig")
    assert "signed_off,False,True" in text
    assert "owner,,Clinical reference group" in text


def test_a_hurdle_failure_keeps_its_reason(people: dict[str, User]) -> None:
    prog = _programme(people, "hurdle_sift")
    h = prog.hurdle_criteria.get()
    bau = prog.options.get(code="BAU")
    with pytest.raises(StageError, match="needs the reason"):
        services.record_hurdle(
            option=bau, criterion=h, passed=False, reason=" ", user=people["sro"]
        )
    h.metric, h.minimum = "volume", 500.0
    audited_save(h, people["sro"])
    prog.options.filter(code="Y").update(metrics={"volume": 420})
    services.apply_computed_hurdles(prog=prog, user=people["sro"])
    y = prog.options.get(code="Y").hurdle_results.get()
    assert not y.passed and "80 below the minimum 500" in y.reason and y.shortfall == 80
    services.record_hurdle(
        option=bau, criterion=h, passed=False, reason="Below 500 a year", user=people["sro"]
    )
    # X passes; Y is rejected; business as usual fails but stays as the comparator
    assert services.sift(prog=prog, user=people["sro"]) == (2, 1)
    assert {o.code: o.reached for o in prog.options.all()} == {
        "BAU": "short",
        "X": "short",
        "Y": "long",
    }
    assert [(s.key, s.count) for s in services.funnel(prog)] == [
        ("long", 3),
        ("short", 2),
        ("preferred", 0),
    ]


def test_the_stroke_model_generates_the_long_list(people: dict[str, User]) -> None:
    prog = _programme(people, "long_list")
    client = Client()
    client.force_login(people["sro"])
    url = reverse("decisions:options", args=[prog.slug])
    page = client.post(url, {"action": "generate", "low": "4", "high": "2"}, follow=True)
    assert "HASU counts must satisfy" in page.content.decode()
    client.post(url, {"action": "generate", "low": "2", "high": "2"})
    generated = prog.options.filter(origin="model")
    assert generated.count() == 21 + 1  # C(7, 2) configurations and today
    option = generated.exclude(business_as_usual=True).first()
    assert option is not None and len(option.member_list) == 2
    assert {"min_unit_volume", "share_within_60", "added_good_outcomes"} <= set(option.metrics)
    page = client.post(url, {"action": "generate", "low": "2", "high": "2"}, follow=True)
    assert "already has options" in page.content.decode()
    with pytest.raises(StageError, match="was not added: code: Ensure this value has at most 40"):
        services.add_option(prog=prog, user=people["sro"], code="X" * 41, name="Too long a code")
    assert prog.options.filter(origin="model").count() == 22
