"""Weights and panel scoring, checked against hand-computed cases."""

from __future__ import annotations

import pytest

from stpkit.appraisal import monte_carlo, one_at_a_time, switching_values
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


def test_switching_value_and_sweep_on_the_other_criterion_by_hand() -> None:
    # Scores 0-100: X (80, 40), Y (50, 90). With access share t: X = 80 - 40t, Y = 50 + 40t,
    # equal at t = 30/80 = 0.375; the agreed share is 0.4, so a 2.5 point fall switches to X.
    scores = [Score("ann", "X", "q", 8), Score("ann", "X", "a", 4)]
    scores += [Score("ann", "Y", "q", 5), Score("ann", "Y", "a", 9)]
    ev = panel_evaluation(["X", "Y"], CRITERIA, summarise(scores), 10.0)
    sv = {s.criterion: s for s in switching_values(ev)}["Access"]
    assert sv.switch_share == pytest.approx(0.375)
    assert sv.change == pytest.approx(-0.025)
    assert sv.to_option == "X"
    sweep = {(p.criterion, round(p.share, 2)): p.preferred for p in one_at_a_time(ev, steps=5)}
    assert sweep[("Quality", 0.0)] == "Y" and sweep[("Quality", 1.0)] == "X"
    assert sweep[("Access", 0.25)] == "X" and sweep[("Access", 0.5)] == "Y"


def test_a_dominant_option_is_first_in_every_monte_carlo_draw() -> None:
    # Y is better on both criteria, so no weights can put X first.
    scores = [Score("ann", "X", "q", 4), Score("ann", "X", "a", 4)]
    scores += [Score("ann", "Y", "q", 6), Score("ann", "Y", "a", 9)]
    ev = panel_evaluation(["X", "Y"], CRITERIA, summarise(scores), 10.0)
    mc = monte_carlo(ev, draws=500, seed=1)
    assert mc.first_share == {"X": 0.0, "Y": 1.0}
    assert mc.mean_rank == {"X": 2.0, "Y": 1.0}
    assert all(s.switch_share is None for s in switching_values(ev))


def test_consensus_uses_the_moderated_score_in_the_totals() -> None:
    # X quality 2, 8, 8 (mean 6) moderated to 7: X = 0.6*70 + 0.4*40 = 58
    scores = [Score(s, "X", "q", v) for s, v in (("ann", 2), ("bob", 8), ("cat", 8))]
    scores += [Score(s, "X", "a", 4) for s in ("ann", "bob", "cat")]
    plain = panel_evaluation(["X"], CRITERIA, summarise(scores), 10.0)
    assert plain.totals[0] == pytest.approx(0.6 * 60 + 0.4 * 40)
    moderated = panel_evaluation(["X"], CRITERIA, summarise(scores, {("X", "q"): 7.0}), 10.0)
    assert moderated.totals[0] == pytest.approx(58.0)


def test_weights_within_the_tolerance_and_grouped() -> None:
    check_weights(
        [
            WeightedCriterion("q", "Q", "Quality", 33.333),
            *[WeightedCriterion(k, k, "Access", 33.333) for k in ("a", "b")],
        ]
    )  # 99.999: within 0.01 of 100
    with pytest.raises(WeightsError, match=r"sum to 99\.9 "):
        check_weights([WeightedCriterion("q", "Q", "Quality", 99.9)])
    with pytest.raises(WeightsError, match="no evaluation criteria"):
        check_weights([])
    crits = [
        WeightedCriterion("q1", "Outcomes", "Quality", 30.0),
        WeightedCriterion("q2", "Safety", "Quality", 20.0),
        WeightedCriterion("a", "Travel", "Access", 50.0),
    ]
    assert group_weights(crits) == {"Quality": 50.0, "Access": 50.0}
