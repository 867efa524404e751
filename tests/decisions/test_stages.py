"""The stage state machine: order, sign-off by the named role with conditions, reopening."""

from __future__ import annotations

import re

import pytest

from stpkit.decisions.errors import SignOffError, StageError
from stpkit.decisions.stages import (
    EAST_KENT,
    STROKE,
    GovernanceRole,
    Process,
    StageState,
    check_editable,
    check_reopen,
    check_sign_off,
    current_index,
    states,
)

ALL_FACTS: dict[str, int | bool] = {"evidence": 2, "service_models": 1, "hurdle_criteria": 3}
SRO = {GovernanceRole.SRO}


def test_processes_follow_seed_004() -> None:
    stroke = [s.key for s in STROKE.stages]
    east = [s.key for s in EAST_KENT.stages]
    assert stroke[0] == "case_for_change" and stroke[-1] == "decision"
    assert "pcbc" in stroke and "medium_list_to_jc" not in stroke
    assert "medium_list_to_jc" in east and "pcbc" not in east
    assert east.index("medium_list_to_jc") == east.index("hurdle_sift") + 1


def test_states_follow_the_signed_prefix() -> None:
    flags = [True, True] + [False] * (len(STROKE.stages) - 2)
    assert current_index(flags) == 2
    got = states(flags)
    assert got[:3] == [StageState.SIGNED_OFF, StageState.SIGNED_OFF, StageState.CURRENT]
    assert set(got[3:]) == {StageState.NOT_STARTED}


def test_a_gap_in_sign_offs_is_corrupt() -> None:
    with pytest.raises(StageError, match="later stage is signed off"):
        current_index([True, False, True])


def test_cannot_skip_a_stage() -> None:
    flags = [False] * len(STROKE.stages)
    with pytest.raises(SignOffError, match="cannot be skipped"):
        check_sign_off(STROKE, flags, "service_models", ALL_FACTS, {GovernanceRole.CLINICAL_LEAD})


def test_sign_off_by_the_wrong_role_is_refused() -> None:
    flags = [False] * len(STROKE.stages)
    with pytest.raises(SignOffError, match="must be signed off by the Senior responsible officer"):
        check_sign_off(STROKE, flags, "case_for_change", ALL_FACTS, {GovernanceRole.CLINICAL_LEAD})


def test_sign_off_without_exit_conditions_is_refused() -> None:
    flags = [False] * len(STROKE.stages)
    with pytest.raises(
        SignOffError, match="exit condition not met: At least one piece of evidence"
    ):
        check_sign_off(STROKE, flags, "case_for_change", {"evidence": 0}, SRO)
    assert check_sign_off(STROKE, flags, "case_for_change", ALL_FACTS, SRO).key == "case_for_change"


def test_entry_conditions_are_checked_too() -> None:
    i = STROKE.index("evaluation")
    flags = [True] * i + [False] * (len(STROKE.stages) - i)
    facts = {"scoring_closed": True, "unmoderated": 0, "preferred": True, "weights_locked": False}
    with pytest.raises(SignOffError, match="entry condition not met: Swing weights are agreed"):
        check_sign_off(STROKE, flags, "evaluation", facts, {GovernanceRole.JOINT_COMMITTEE_CHAIR})


def test_signing_off_enters_the_next_stage_so_its_entry_must_hold() -> None:
    # Signing off NHS England assurance opens the public consultation, which needs its period.
    i = STROKE.index("assurance")
    flags = [True] * i + [False] * (len(STROKE.stages) - i)
    facts = {"timeline_tasks": 5, "assurance_approved": True, "consultation_dates": False}
    nhse = {GovernanceRole.NHSE_ASSURANCE_LEAD}
    with pytest.raises(
        SignOffError,
        match="next stage 'Public consultation' entry condition not met: "
        "The consultation period is set",
    ):
        check_sign_off(STROKE, flags, "assurance", facts, nhse)
    assert (
        check_sign_off(STROKE, flags, "assurance", {**facts, "consultation_dates": True}, nhse).key
        == "assurance"
    )


def test_signed_off_stage_cannot_be_signed_again() -> None:
    flags = [True] + [False] * (len(STROKE.stages) - 1)
    with pytest.raises(SignOffError, match="already signed off"):
        check_sign_off(STROKE, flags, "case_for_change", ALL_FACTS, SRO)


def test_reopen_needs_a_reason_and_reopens_later_stages() -> None:
    flags = [True, True, True] + [False] * (len(STROKE.stages) - 3)
    with pytest.raises(StageError, match="needs a reason"):
        check_reopen(STROKE, flags, "service_models", "  ")
    assert check_reopen(
        STROKE, flags, "service_models", "Clinical senate asked for ASU-only sites"
    ) == [1, 2]
    with pytest.raises(StageError, match="not signed off"):
        check_reopen(STROKE, flags, "long_list", "a good long reason")


def test_editing_a_closed_or_unstarted_stage_is_refused() -> None:
    flags = [True, True] + [False] * (len(STROKE.stages) - 2)
    with pytest.raises(StageError, match="signed off: reopen it"):
        check_editable(STROKE, flags, "case_for_change", "Evidence")
    with pytest.raises(StageError, match="has not started"):
        check_editable(STROKE, flags, "long_list", "Options")
    check_editable(STROKE, flags, "hurdle_criteria", "Hurdle criteria")


def test_unknown_stage_lists_the_valid_ones() -> None:
    with pytest.raises(StageError, match="case_for_change"):
        STROKE.index("nonsense")


# Facts that satisfy every condition of either process.
EVERYTHING: dict[str, int | bool] = {
    "evidence": 1,
    "service_models": 1,
    "hurdle_criteria": 1,
    "evaluation_criteria": 2,
    "weights_sum_ok": True,
    "weights_locked": True,
    "options": 2,
    "business_as_usual": True,
    "unassessed": 0,
    "short_list": 1,
    "scoring_closed": True,
    "unmoderated": 0,
    "preferred": True,
    "timeline_tasks": 1,
    "pcbc_generated": True,
    "assurance_approved": True,
    "consultation_dates": True,
    "consultation_closed": True,
    "consultation_analysis": True,
    "decision": True,
}


@pytest.mark.parametrize("proc", [STROKE, EAST_KENT], ids=lambda p: p.key)
def test_walk_every_stage_in_order_by_its_role(proc: Process) -> None:
    """Each stage: refused to every other role, refused with any one of its conditions
    unmet (the message names it), then signed off, which makes the next one current."""
    flags = [False] * len(proc.stages)
    for i, stage in enumerate(proc.stages):
        assert current_index(flags) == i
        others = set(GovernanceRole) - {stage.signoff_role}
        with pytest.raises(SignOffError, match="must be signed off by"):
            check_sign_off(proc, flags, stage.key, EVERYTHING, others)
        for cond in (*stage.entry, *stage.exit):
            fact = cond.key.split(">=")[0].split("==")[0]
            broken = {**EVERYTHING, fact: 1 if cond.key.endswith("==0") else 0}
            with pytest.raises(SignOffError, match=re.escape(cond.description)):
                check_sign_off(proc, flags, stage.key, broken, {stage.signoff_role})
        check_sign_off(proc, flags, stage.key, EVERYTHING, {stage.signoff_role})
        flags[i] = True
    assert current_index(flags) == len(proc.stages)
    # reopening the first stage reopens all of them
    assert check_reopen(proc, flags, proc.stages[0].key, "New national guidance") == list(
        range(len(proc.stages))
    )


def test_every_stage_but_the_jc_submission_has_an_exit_condition() -> None:
    for proc in (STROKE, EAST_KENT):
        bare = [s.key for s in proc.stages if not s.exit]
        assert bare == (["medium_list_to_jc"] if proc is EAST_KENT else [])
