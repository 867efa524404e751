"""Weights and panel scoring, checked against hand-computed cases."""

from __future__ import annotations

import pytest

from stpkit.appraisal import switching_values
from stpkit.decisions.errors import ScoringError, WeightsError
from stpkit.decisions.panel import (
    Score,
    WeightedCriterion,
    check_weights,
    group_weights,
    missing_scores,
    needing_moderation,
    panel_evaluation,
    summarise,
)

CRITERIA = [
    WeightedCriterion("q", "Quality", "Quality", 60.0),
    WeightedCriterion("a", "Access", "Access", 40.0),
]


def test_weights_must_sum_to_100() -> None:
    check_weights(CRITERIA)
    with pytest.raises(WeightsError, match="sum to 90"):
        check_weights([CRITERIA[0], WeightedCriterion("a", "Access", "Access", 30.0)])
    with pytest.raises(WeightsError, match="negative"):
        check_weights([WeightedCriterion("q", "Quality", "Quality", -10.0)])
    assert group_weights(CRITERIA) == {"Quality": 60.0, "Access": 40.0}


def test_a_scorer_scoring_twice_is_refused() -> None:
    with pytest.raises(ScoringError, match="already scored X on q"):
        summarise([Score("ann", "X", "q", 5), Score("ann", "X", "q", 6)])


def test_spread_moderation_and_consensus() -> None:
    scores = [Score("ann", "X", "q", 2), Score("bob", "X", "q", 8), Score("cat", "X", "q", 5)]
    cells = summarise(scores)
    cell = cells[("X", "q")]
    assert (cell.n, cell.mean, cell.low, cell.high, cell.spread) == (3, 5.0, 2, 8, 6)
    assert cell.sd == pytest.approx(6**0.5)  # population sd of 2, 5, 8
    assert needing_moderation(cells, 3.0) == [cell]
    moderated = summarise(scores, {("X", "q"): 4.0})
    assert moderated[("X", "q")].consensus == 4.0
    assert needing_moderation(moderated, 3.0) == []


def test_missing_scores_are_listed() -> None:
    scores = [Score("ann", "X", "q", 2)]
    assert missing_scores(scores, ["ann"], ["X"], ["q", "a"]) == [("ann", "X", "a")]


def test_weighted_totals_and_ranks_by_hand() -> None:
    # X: quality 8, access 4 -> (0.6*80 + 0.4*40) = 64; Y: 5, 9 -> 0.6*50 + 0.4*90 = 66
    scores = [
        Score("ann", "X", "q", 8),
        Score("bob", "X", "q", 8),
        Score("ann", "X", "a", 3),
        Score("bob", "X", "a", 5),
        Score("ann", "Y", "q", 5),
        Score("bob", "Y", "q", 5),
        Score("ann", "Y", "a", 9),
        Score("bob", "Y", "a", 9),
    ]
    ev = panel_evaluation(["X", "Y"], CRITERIA, summarise(scores), 10.0)
    assert list(ev.totals) == pytest.approx([64.0, 66.0])
    assert list(ev.ranks) == [2, 1]
    assert ev.preferred.name == "Y"
    # Switching: with quality share t, X - Y = 30t - 50(1-t) = 80t - 50 -> 0 at t = 0.625
    sv = {s.criterion: s for s in switching_values(ev)}
    assert sv["Quality"].switch_share == pytest.approx(0.625)
    assert sv["Quality"].to_option == "X"


def test_evaluation_needs_every_cell() -> None:
    with pytest.raises(ScoringError, match="Y has no panel score on Quality"):
        panel_evaluation(["Y"], CRITERIA, summarise([Score("a", "Y", "a", 1)]), 10.0)
