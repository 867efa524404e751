"""Evidence, hurdle criteria and evaluation criteria corrected or removed through the pages:
only while their stage is open (criteria also only while the weights are unlocked), each
change on the audit trail with who, when, before, after and reason; a removal needs a
reason and stays on the programme's trail after the row is gone; a stale edit is refused.
"""

from __future__ import annotations

import html

from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.decisions import services
from stpkit.web.decisions.history import programme_history
from stpkit.web.decisions.models import (
    EvaluationCriterion,
    Evidence,
    HurdleCriterion,
    HurdleResult,
    Programme,
)
from tests.web.decisions.helpers import logged_in, post_text, user
from tests.web.decisions.test_workflow import _programme


def _trail(prog: Programme, item: str) -> list[dict[str, object]]:
    return [r for r in programme_history(prog) if r["item"] == item]


def _evidence_form(e: Evidence, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "action": "edit_evidence",
        "evidence": e.pk,
        "version": e.version,
        **{k: getattr(e, k) for k in services.EVIDENCE_FIELDS},
    }
    return {**form, **changes}


def test_evidence_is_corrected_and_removed_on_the_record(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    url = reverse("decisions:programme", args=[prog.slug])
    sro, ann = logged_in(people["sro"]), logged_in(people["ann"])
    post_text(sro, url, {"kind": "figure", "title": "Units below 500", "value": "5"})
    e = Evidence.objects.get(programme=prog)
    page = html.unescape(sro.get(url).content.decode())
    assert f'name="evidence" value="{e.pk}"' in page  # the edit and remove forms are offered
    opened = _evidence_form(e)  # ann opens the form now ...

    page = post_text(sro, url, _evidence_form(e, value="6", reason="Recounted from SSNAP"))
    assert "Evidence 'Units below 500' saved" in page
    e.refresh_from_db()
    assert (e.value, e.version) == ("6", 2)
    [row] = [
        r
        for r in _trail(prog, "evidence: Units below 500")
        if r["field"] == "value" and r["action"] == "Updated"
    ]
    assert (row["before"], row["after"], row["reason"], row["action"]) == (
        "5",
        "6",
        "Recounted from SSNAP",
        "Updated",
    )
    assert row["who"] == "sro" and row["at"]

    # ... and saves after the SRO did: refused, nothing overwritten
    page = post_text(ann, url, {**opened, "value": "7"})
    assert "was changed by sro" in page and "Your changes were not saved" in page
    e.refresh_from_db()
    assert (e.value, e.version) == ("6", 2)
    # a stale removal is refused the same way
    page = post_text(ann, url, {**opened, "action": "remove_evidence", "reason": "Duplicate of X"})
    assert "It was not removed: reload the page" in page
    assert Evidence.objects.filter(pk=e.pk).exists()

    # bad input: clear message, nothing changed
    page = post_text(sro, url, _evidence_form(e, title="  "))
    assert "Evidence needs a title" in page
    page = post_text(sro, url, _evidence_form(e, kind="rumour"))
    assert "Unknown kind of evidence 'rumour'" in page
    page = post_text(sro, url, _evidence_form(e, kind="service_model"))
    assert "which has not started" in page  # service models is a later stage
    page = post_text(sro, url, _evidence_form(e, version="abc"))
    assert "missing its version" in page
    page = post_text(sro, url, _evidence_form(e, action="remove_evidence", reason="dup"))
    assert "Removing the evidence 'Units below 500' needs a reason" in page
    e.refresh_from_db()
    assert (e.kind, e.title, e.value, e.version) == ("figure", "Units below 500", "6", 2)

    # a reader cannot change it
    board = logged_in(user("reader", Role.BOARD_MEMBER))
    page = post_text(board, url, _evidence_form(e, value="9"))
    assert "can read this programme but not change it" in page

    page = post_text(
        sro, url, _evidence_form(e, action="remove_evidence", reason="Superseded by SSNAP 2018")
    )
    assert "Removed the evidence 'Units below 500'" in page
    assert not Evidence.objects.filter(pk=e.pk).exists()
    # the row is gone; its whole story is still on the programme's trail and page
    trail = _trail(prog, "evidence: Units below 500")
    assert {r["action"] for r in trail} == {"Created", "Updated", "Deleted"}
    deleted = {r["field"]: r for r in trail if r["action"] == "Deleted"}
    assert deleted["value"]["before"] == "6" and deleted["value"]["after"] is None
    assert deleted["title"]["reason"] == "Superseded by SSNAP 2018"
    history = html.unescape(
        sro.get(reverse("decisions:history", args=[prog.slug])).content.decode()
    )
    assert "Superseded by SSNAP 2018" in history


def test_evidence_is_closed_with_its_stage(people: dict[str, User]) -> None:
    prog = _programme(people, "service_models")  # case for change signed off
    url = reverse("decisions:programme", args=[prog.slug])
    e = Evidence.objects.get(programme=prog, kind="document")
    sro = logged_in(people["sro"])
    page = post_text(sro, url, _evidence_form(e, title="Case (revised)", reason="Typo in title"))
    assert "Evidence belongs to the stage" in page and "which is signed off: reopen it" in page
    page = post_text(
        sro,
        url,
        {"action": "remove_evidence", "evidence": e.pk, "version": e.version, "reason": "Old"},
    )
    assert "which is signed off: reopen it" in page
    e.refresh_from_db()
    assert e.title == "Case" and e.version == 1
    # service-model evidence belongs to the open stage: editable
    services.add_evidence(prog=prog, user=people["sro"], kind="service_model", title="HASU")
    sm = Evidence.objects.get(programme=prog, kind="service_model")
    page = post_text(sro, url, _evidence_form(sm, title="HASU and ASU model", reason="Fuller name"))
    assert "Evidence 'HASU and ASU model' saved" in page


def _hurdle_form(h: HurdleCriterion, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "action": "edit",
        "criterion": h.pk,
        "version": h.version,
        "name": h.name,
        "description": h.description,
        "metric": h.metric,
        "minimum": "" if h.minimum is None else h.minimum,
        "maximum": "" if h.maximum is None else h.maximum,
    }
    return {**form, **changes}


def test_hurdle_criteria_are_changed_and_removed_on_the_record(people: dict[str, User]) -> None:
    prog = _programme(people, "hurdle_criteria")
    url = reverse("decisions:hurdles", args=[prog.slug])
    sro = logged_in(people["sro"])
    post_text(sro, url, {"action": "add", "name": "Volume", "metric": "volume", "minimum": "500"})
    post_text(sro, url, {"action": "add", "name": "Travel"})
    h = HurdleCriterion.objects.get(programme=prog, name="Volume")
    page = post_text(sro, url, _hurdle_form(h, minimum="1500", maximum="500"))
    assert "minimum 1500.0 is above maximum 500.0" in page
    page = post_text(sro, url, _hurdle_form(h, name="Travel"))
    assert "already has a hurdle criterion named 'Travel'" in page
    page = post_text(sro, url, _hurdle_form(h, metric="", minimum="500"))
    assert "has bounds but no metric" in page
    page = post_text(sro, url, _hurdle_form(h, maximum="lots"))
    assert "Maximum: 'lots' is not a number" in page
    h.refresh_from_db()
    assert (h.name, h.metric, h.minimum, h.maximum, h.version) == (
        "Volume",
        "volume",
        500.0,
        None,
        1,
    )
    page = post_text(sro, url, _hurdle_form(h, minimum="600", reason="Clinical senate: 600 a year"))
    assert "Hurdle criterion 'Volume' saved" in page
    h.refresh_from_db()
    assert (h.minimum, h.version) == (600.0, 2)
    [row] = [
        r
        for r in _trail(prog, "hurdle criterion: Volume")
        if r["field"] == "minimum" and r["action"] == "Updated"
    ]
    assert (row["before"], row["after"], row["reason"]) == (
        500.0,
        600.0,
        "Clinical senate: 600 a year",
    )
    # stale: the form opened at version 1
    page = post_text(sro, url, _hurdle_form(h, version=1, minimum="700"))
    assert "after you opened it" in page
    h.refresh_from_db()
    assert h.minimum == 600.0
    travel = HurdleCriterion.objects.get(programme=prog, name="Travel")
    page = post_text(sro, url, {"action": "remove", "criterion": travel.pk, "version": 1})
    assert "needs a reason" in page
    page = post_text(
        sro,
        url,
        {"action": "remove", "criterion": travel.pk, "version": 1, "reason": "Folded into access"},
    )
    assert "Removed the hurdle criterion 'Travel'" in page
    assert list(prog.hurdle_criteria.values_list("name", flat=True)) == ["Volume"]
    trail = _trail(prog, "hurdle criterion: Travel")
    assert {r["action"] for r in trail} == {"Created", "Deleted"}
    assert {r["reason"] for r in trail if r["action"] == "Deleted"} == {"Folded into access"}
    # signed off: closed
    services.sign_off(stage=prog.stages.get(key="hurdle_criteria"), user=people["sro"])
    h.refresh_from_db()
    page = post_text(sro, url, _hurdle_form(h, minimum="700", reason="Late change"))
    assert "which is signed off: reopen it (with a reason) to change it" in page
    page = post_text(
        sro, url, {"action": "remove", "criterion": h.pk, "version": h.version, "reason": "Late"}
    )
    assert "which is signed off" in page
    h.refresh_from_db()
    assert h.minimum == 600.0


def test_a_changed_rule_withdraws_its_results_on_the_record(people: dict[str, User]) -> None:
    prog = _programme(people, "evaluation")  # sifted on the judged hurdle "Volume"
    h = prog.hurdle_criteria.get()
    assert HurdleResult.objects.filter(criterion=h).count() == 3
    services.reopen(
        stage=prog.stages.get(key="hurdle_criteria"),
        user=people["sro"],
        reason="Volume to be computed",
    )
    url = reverse("decisions:hurdles", args=[prog.slug])
    sro = logged_in(people["sro"])
    # a description is not the rule: results stay
    page = post_text(sro, url, _hurdle_form(h, description="Stroke admissions a year"))
    assert "withdrawn" not in page
    assert HurdleResult.objects.filter(criterion=h).count() == 3
    h.refresh_from_db()
    page = post_text(
        sro, url, _hurdle_form(h, metric="volume", minimum="500", reason="Use the model figure")
    )
    assert "3 results under the old rule withdrawn, to check again" in page
    assert not HurdleResult.objects.filter(criterion=h).exists()
    withdrawn = [
        r
        for r in programme_history(prog)
        if r["item"].startswith("hurdle result: BAU") and r["action"] == "Deleted"
    ]
    assert withdrawn and "The rule of 'Volume' changed: Use the model figure" in str(
        withdrawn[0]["reason"]
    )
    assert {r["before"] for r in withdrawn if r["field"] == "reason"} == {"Below 500 a year"}
    # removing it takes its (recomputed) results with it, each on the record
    services.sign_off(stage=prog.stages.get(key="hurdle_criteria"), user=people["sro"])
    services.sign_off(stage=prog.stages.get(key="evaluation_criteria"), user=people["chair"])
    services.sign_off(stage=prog.stages.get(key="long_list"), user=people["sro"])
    services.apply_computed_hurdles(prog=prog, user=people["sro"])
    assert HurdleResult.objects.filter(criterion=h).count() == 2  # BAU has no figure
    services.reopen(
        stage=prog.stages.get(key="hurdle_criteria"),
        user=people["sro"],
        reason="Drop the volume test",
    )
    h.refresh_from_db()
    page = post_text(
        sro,
        url,
        {"action": "remove", "criterion": h.pk, "version": h.version, "reason": "Senate advice"},
    )
    assert "Removed the hurdle criterion 'Volume' with its 2 recorded results" in page
    gone = [r for r in programme_history(prog) if r["action"] == "Deleted"]
    assert {r["item"] for r in gone} >= {
        "hurdle criterion: Volume",
        "hurdle result: X: Option X / Volume: pass",
        "hurdle result: Y: Option Y / Volume: pass",
    }


def _criterion_form(c: EvaluationCriterion, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "action": "edit",
        "criterion": c.key,
        "version": c.version,
        "group": c.group,
        "name": c.name,
        "description": c.description,
    }
    return {**form, **changes}


def test_evaluation_criteria_change_only_while_weights_are_unlocked(
    people: dict[str, User],
) -> None:
    prog = _programme(people, "evaluation_criteria")
    url = reverse("decisions:criteria", args=[prog.slug])
    sro, ann = logged_in(people["sro"]), logged_in(people["ann"])
    for group, key, name in [("quality", "q", "Quality"), ("access", "a", "Access")]:
        post_text(sro, url, {"action": "add", "group": group, "key": key, "name": name})
    post_text(sro, url, {"action": "add", "group": "workforce", "key": "w", "name": "Staff"})
    q = EvaluationCriterion.objects.get(programme=prog, key="q")
    opened = _criterion_form(q)
    page = post_text(sro, url, _criterion_form(q, group="vibes"))
    assert "Unknown group 'vibes'" in page
    page = post_text(sro, url, _criterion_form(q, name=" "))
    assert "A criterion needs a name" in page
    page = post_text(sro, url, _criterion_form(q, name="Clinical quality", reason="Senate wording"))
    assert "Criterion 'Clinical quality' saved" in page
    page = post_text(ann, url, {**opened, "name": "Quality of care"})
    assert "Your changes were not saved" in page
    q.refresh_from_db()
    assert (q.name, q.version) == ("Clinical quality", 2)
    [row] = [
        r for r in _trail(prog, "evaluation criterion: Clinical quality") if r["field"] == "name"
    ]
    assert (row["before"], row["after"], row["reason"]) == (
        "Quality",
        "Clinical quality",
        "Senate wording",
    )

    w = EvaluationCriterion.objects.get(programme=prog, key="w")
    page = post_text(sro, url, {"action": "remove", "criterion": "w", "version": w.version})
    assert "Removing the criterion 'Staff' needs a reason" in page
    page = post_text(
        sro,
        url,
        {
            "action": "remove",
            "criterion": "w",
            "version": w.version,
            "reason": "Merged into access",
        },
    )
    assert "Removed the criterion 'Staff'" in page
    assert sorted(prog.evaluation_criteria.values_list("key", flat=True)) == ["a", "q"]
    trail = _trail(prog, "evaluation criterion: Staff")
    assert {r["action"] for r in trail} == {"Created", "Deleted"}

    # locked weights: no change, no removal
    post_text(sro, url, {"action": "weights", "w-q": "60", "w-a": "40"})
    post_text(sro, url, {"action": "lock"})
    q.refresh_from_db()
    page = post_text(sro, url, _criterion_form(q, name="Quality again", reason="After locking"))
    assert "The weights are locked: unlock them (with a reason) to change criteria" in page
    page = post_text(
        sro, url, {"action": "remove", "criterion": "a", "version": 1, "reason": "After locking"}
    )
    assert "The weights are locked: unlock them (with a reason) to remove criteria" in page
    assert prog.evaluation_criteria.count() == 2
    q.refresh_from_db()
    assert q.name == "Clinical quality"
    # and none once the stage is signed off (unlocking is refused there too)
    prog.refresh_from_db()
    services.sign_off(stage=prog.stages.get(key="evaluation_criteria"), user=people["chair"])
    page = post_text(sro, url, {"action": "unlock", "reason": "Want to rename quality"})
    assert "which is signed off" in page
