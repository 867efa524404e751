"""Closed-question statistics against figures worked out by hand."""

from __future__ import annotations

import pytest

from stpkit.consultation.statistics import (
    AGREE_NET,
    ALL,
    DISAGREE_NET,
    question_table,
    wilson_interval,
)
from stpkit.consultation.survey import LIKERT_5, Question, QuestionKind, Response
from stpkit.disclosure import POLICIES

LIKERT = Question("q1", "Agree?", QuestionKind.LIKERT, LIKERT_5)
MULTI = Question("q3", "What matters?", QuestionKind.MULTI, ("Travel", "Staff", "Rehab"))


def response(i: int, rtype: str, likert: str, multi: list[str], age: str = "45-64") -> Response:
    return Response(
        response_id=f"R{i}",
        respondent_type=rtype,
        demographics={"age_band": age},
        postcode_district="ME14",
        lsoa_code="",
        area="ME14",
        answers={"q1": likert, "q3": multi},
        texts={},
    )


# 10 respondents: 6 public, 4 staff; one public left q1 blank.
RESPONSES = [
    response(1, "public", "Strongly agree", ["Travel"]),
    response(2, "public", "Agree", ["Travel", "Staff"]),
    response(3, "public", "Agree", []),
    response(4, "public", "Disagree", ["Travel"]),
    response(5, "public", "Strongly disagree", ["Rehab"]),
    response(6, "public", "", ["Travel", "Rehab"]),
    response(7, "staff", "Strongly agree", ["Staff"]),
    response(8, "staff", "Strongly agree", ["Staff"]),
    response(9, "staff", "Neither agree nor disagree", ["Staff", "Travel"]),
    response(10, "staff", "Disagree", []),
]


@pytest.mark.parametrize(
    ("count", "base", "low", "high"),
    [
        (5, 10, 0.2366, 0.7634),  # p = 0.5: symmetric about 0.5
        (8, 20, 0.2188, 0.6134),
        (0, 10, 0.0, 0.2775),  # never below 0, unlike the normal approximation
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_interval_matches_hand_computed_values(
    count: int, base: int, low: float, high: float
) -> None:
    got_low, got_high = wilson_interval(count, base)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_wilson_interval_refuses_impossible_proportions() -> None:
    with pytest.raises(ValueError):
        wilson_interval(3, 0)
    with pytest.raises(ValueError):
        wilson_interval(4, 3)


def test_likert_counts_percentages_and_net_rows_overall() -> None:
    rows = {s.option: s for s in question_table(RESPONSES, LIKERT)}
    # 9 answered q1 (R6 left it blank): SA 3, A 2, N 1, D 2, SD 1
    assert rows["Strongly agree"].count == 3 and rows["Strongly agree"].base == 9
    assert rows["Strongly agree"].percent == pytest.approx(100 * 3 / 9)
    assert rows[AGREE_NET].count == 5
    assert rows[DISAGREE_NET].count == 3
    low, high = wilson_interval(5, 9)
    assert rows[AGREE_NET].ci_low == pytest.approx(100 * low)
    assert rows[AGREE_NET].ci_high == pytest.approx(100 * high)
    assert {s.group for s in rows.values()} == {ALL}


def test_likert_by_respondent_type() -> None:
    table = question_table(RESPONSES, LIKERT, by="respondent_type")
    got = {(s.group, s.option): (s.count, s.base) for s in table}
    assert got[("public", AGREE_NET)] == (3, 5)
    assert got[("public", DISAGREE_NET)] == (2, 5)
    assert got[("staff", AGREE_NET)] == (2, 4)
    assert got[("staff", "Neither agree nor disagree")] == (1, 4)


def test_multiple_choice_percentages_use_respondents_answering_as_base() -> None:
    rows = {s.option: s for s in question_table(RESPONSES, MULTI)}
    # 8 respondents chose something; Travel 5, Staff 4, Rehab 2: more than 100% in total
    assert rows["Travel"].base == 8
    assert (rows["Travel"].count, rows["Staff"].count, rows["Rehab"].count) == (5, 4, 2)
    assert rows["Travel"].percent == pytest.approx(62.5)
    assert sum(s.percent or 0 for s in rows.values()) > 100


def test_disclosure_control_hides_small_groups_and_derives_percent_from_published_counts() -> None:
    many = [response(i, "public", "Agree", ["Travel"]) for i in range(23)]
    many += [response(100 + i, "public", "Disagree", []) for i in range(3)]
    rows = {s.option: s for s in question_table(many, LIKERT, policy=POLICIES["opensafely"])}
    # base 26 -> 25; Agree 23 -> 25; Disagree 3 is redacted, so no percentage at all
    assert rows["Agree"].count == 25 and rows["Agree"].base == 25
    assert rows["Agree"].percent == pytest.approx(100.0)
    assert rows["Disagree"].percent is None and rows["Disagree"].suppressed
    assert rows["Strongly agree"].count == 0 and rows["Strongly agree"].percent == 0.0
    nhs = {s.option: s for s in question_table(many, LIKERT, policy=POLICIES["nhs_digital"])}
    assert nhs["Disagree"].count is None and nhs["Agree"].count == 23


def test_grouping_by_a_demographic_and_an_unknown_field() -> None:
    mixed = [response(1, "public", "Agree", [], age="25-44"), response(2, "staff", "Agree", [])]
    groups = {s.group for s in question_table(mixed, LIKERT, by="age_band")}
    assert groups == {"25-44", "45-64"}
    with pytest.raises(KeyError):
        question_table(mixed, LIKERT, by="shoe_size")
