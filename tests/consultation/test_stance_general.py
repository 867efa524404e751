"""Stance from general cues: agreement words with negation, yes/no openings, the closed
answer, contrast, theme sides, and labels."""

from __future__ import annotations

import pytest

from stpkit.consultation.stance import Stance, closed_stance, stance_of, stances


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("I would support banning these adverts.", Stance.AGREE),
        ("We wholeheartedly welcome this.", Stance.AGREE),
        ("It is not a bad idea at all.", Stance.AGREE),  # negated criticism
        ("I cannot see any reason to object.", Stance.AGREE),
        ("Yes, about time too.", Stance.AGREE),
        ("A step in the right direction, long overdue.", Stance.AGREE),
        ("I don't support this.", Stance.DISAGREE),
        ("I do not agree with the plan.", Stance.DISAGREE),
        ("No. It is a mistake and goes too far.", Stance.DISAGREE),
        ("Not a good idea.", Stance.DISAGREE),
        ("This is government overreach, a nanny state measure.", Stance.DISAGREE),
        ("No one asked me, but I fully support it.", Stance.AGREE),  # "No one" is no answer
        ("The library opens at nine.", Stance.UNCLEAR),
    ],
)
def test_stance_on_varied_phrasing(text: str, stance: Stance) -> None:
    assert stance_of(text) is stance, text


def test_what_follows_however_outweighs_what_comes_before() -> None:
    assert stance_of("It is a good idea in theory. However, it is a mistake.") is Stance.DISAGREE
    assert stance_of("It seems unnecessary, but on balance I support it.") is Stance.AGREE


def test_closed_answer_decides_where_there_is_one() -> None:
    assert closed_stance("Strongly agree") is Stance.AGREE
    assert closed_stance(" tend to  disagree") is Stance.DISAGREE
    assert closed_stance("Neither agree nor disagree") is Stance.UNCLEAR
    assert stance_of("I support this.", closed_answer="Disagree") is Stance.DISAGREE
    assert stance_of("I support this.", closed_answer="Don't know") is Stance.AGREE


def test_theme_sides_weighted_by_where_they_stand() -> None:
    text = "Ads help fund clubs. However, children are exposed to gambling far too young."
    sides = [
        ("oppose", 0.9, "Ads help fund clubs."),
        ("support", 0.9, "However, children are exposed to gambling far too young."),
    ]
    assert stance_of(text, theme_sides=sides) is Stance.AGREE
    assert stance_of(text, theme_sides=sides[:1]) is Stance.DISAGREE


def test_labels_teach_the_weights_and_are_kept() -> None:
    # In this consultation a theme argued against is a reason for the proposal: the
    # rule gets it wrong, the analyst's labels put it right.
    ids = [f"r{i}" for i in range(40)]
    texts = ["Costs will rise." if i % 2 else "Waits are long." for i in range(40)]
    sides = {rid: [("oppose" if i % 2 else "support", 1.0, texts[i])] for i, rid in enumerate(ids)}
    truth = {rid: ("agree" if i % 2 else "disagree") for i, rid in enumerate(ids)}
    rule = stances(ids, texts, theme_sides=sides)
    assert all(rule[r] != truth[r] for r in ids)
    labels = {r: truth[r] for r in ids[:20]}
    learned = stances(ids, texts, theme_sides=sides, labels=labels)
    assert all(learned[r] == truth[r] for r in ids)
    assert stances(["a", "b"], ["", ""]) == {"a": "unclear", "b": "unclear"}
