"""The 2017 STP progress dashboard method: quartile scores, area and overall means, the
category cut points and the indicator that would move the rating."""

from __future__ import annotations

import pytest

from stpkit.system.rating import (
    INDICATORS,
    Category,
    Indicator,
    Theme,
    category_for,
    quartile_cuts,
    rate,
    score_indicator,
)
from stpkit.system.spc import Polarity

HIGH = Indicator("a", "A", "Area 1", Theme.HOSPITAL, Polarity.HIGHER_IS_BETTER)
LOW = Indicator("b", "B", "Area 2", Theme.PATIENT, Polarity.LOWER_IS_BETTER, standard=1.0)
NATIONAL = [float(v) for v in range(1, 101)]  # quartile cuts 25.75, 50.5, 75.25


def test_quartile_cuts() -> None:
    assert quartile_cuts(NATIONAL) == pytest.approx((25.75, 50.5, 75.25))


def test_scores_follow_polarity() -> None:
    assert score_indicator(HIGH, 90, NATIONAL).score == 4
    assert score_indicator(HIGH, 10, NATIONAL).score == 1
    low_nat = NATIONAL
    assert score_indicator(LOW, 10, low_nat).score == 4
    assert score_indicator(LOW, 90, low_nat).score == 1
    s = score_indicator(HIGH, 40, NATIONAL)
    assert s.score == 2 and s.next_value == pytest.approx(50.5)


def test_standard_used_without_a_national_distribution() -> None:
    assert score_indicator(LOW, 0.8, None).score == 4
    missed = score_indicator(LOW, 1.5, None)
    assert missed.score == 1 and missed.next_value == 1.0


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (3.5, Category.OUTSTANDING),
        (3.25, Category.OUTSTANDING),
        (3.0, Category.ADVANCED),
        (2.0, Category.MAKING_PROGRESS),
        (1.99, Category.NEEDS_MOST_IMPROVEMENT),
    ],
)
def test_category_cut_points(score: float, category: Category) -> None:
    assert category_for(score) is category


def test_overall_is_mean_of_areas_and_mover_is_reported() -> None:
    rating = rate({"a": 40.0, "b": 1.5}, {"a": NATIONAL}, indicators=[HIGH, LOW])
    assert rating.areas == {"Area 1": 2.0, "Area 2": 1.0}
    assert rating.score == pytest.approx(1.5)
    assert rating.category is Category.NEEDS_MOST_IMPROVEMENT
    assert rating.mover is not None
    assert rating.mover.category is Category.MAKING_PROGRESS
    # either indicator rising one step lifts 1.5 to 2.0; the one needing fewer steps and the
    # smaller change in value wins: b from 1.5 to its standard 1.0
    assert rating.mover.indicator.code == "b"
    assert rating.mover.needed == 1.0


def test_indicators_cover_three_themes_and_nine_areas_at_most() -> None:
    assert {i.theme for i in INDICATORS} == set(Theme)
    assert len({i.area for i in INDICATORS}) == 9
