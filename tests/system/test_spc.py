"""Making Data Count XmR rules, icons and limits on series whose answer is known by hand."""

from __future__ import annotations

import pytest

from stpkit.system.spc import Assurance, Polarity, SpcError, Variation, xmr

STABLE = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 49, 51]


def test_limits_are_mean_plus_minus_2_66_mean_moving_range() -> None:
    result = xmr([10, 12, 11, 13])
    assert result.mean == pytest.approx(11.5)
    mr_bar = (2 + 1 + 2) / 3
    assert result.upper_limit == pytest.approx(11.5 + 2.66 * mr_bar)
    assert result.lower_limit == pytest.approx(11.5 - 2.66 * mr_bar)


def test_stable_process_is_common_cause() -> None:
    result = xmr(STABLE, polarity=Polarity.HIGHER_IS_BETTER)
    assert not any(p.special for p in result.points)
    assert result.variation is Variation.COMMON_CAUSE
    assert result.enough_points


def test_point_outside_limits_is_special_and_judged_by_polarity() -> None:
    series = [*STABLE, 70]
    up = xmr(series, polarity=Polarity.HIGHER_IS_BETTER, baseline=len(STABLE))
    assert up.points[-1].rules == ("outside_limits",)
    assert up.variation is Variation.IMPROVING_HIGH
    down = xmr(series, polarity=Polarity.LOWER_IS_BETTER, baseline=len(STABLE))
    assert down.variation is Variation.CONCERNING_HIGH
    neither = xmr(series, baseline=len(STABLE))
    assert neither.variation is Variation.SPECIAL_HIGH


def test_shift_needs_seven_points_on_one_side() -> None:
    six_low = [*STABLE, 49, 49.5, 49, 49.5, 49, 49.5]
    result = xmr(six_low, baseline=len(STABLE))
    assert not any("shift" in p.rules for p in result.points[len(STABLE) :])
    seven_low = [*six_low, 49]
    result = xmr(seven_low, polarity=Polarity.HIGHER_IS_BETTER, baseline=len(STABLE))
    assert all("shift" in p.rules for p in result.points[-7:])
    assert result.variation is Variation.CONCERNING_LOW


def test_trend_needs_six_rising_points() -> None:
    rising = [*STABLE, 49.1, 49.2, 49.3, 49.4, 49.5]
    assert not any("trend" in p.rules for p in xmr(rising, baseline=len(STABLE)).points)
    rising = [*rising, 49.6]
    result = xmr(rising, polarity=Polarity.LOWER_IS_BETTER, baseline=len(STABLE))
    assert all("trend" in p.rules for p in result.points[-6:])
    assert result.points[-6].direction == 1


def test_two_of_three_beyond_two_sigma() -> None:
    base = xmr(STABLE)
    near = base.mean + 2.4 * base.sigma  # inside the limits, beyond two sigma
    result = xmr([*STABLE, near, base.mean, near], baseline=len(STABLE))
    assert "two_of_three" in result.points[-1].rules
    assert "two_of_three" in result.points[-3].rules
    assert "two_of_three" not in result.points[-2].rules
    assert "outside_limits" not in result.points[-1].rules


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        (Polarity.HIGHER_IS_BETTER, 40, Assurance.CONSISTENTLY_PASS),
        (Polarity.HIGHER_IS_BETTER, 60, Assurance.CONSISTENTLY_FAIL),
        (Polarity.HIGHER_IS_BETTER, 50, Assurance.HIT_AND_MISS),
        (Polarity.LOWER_IS_BETTER, 60, Assurance.CONSISTENTLY_PASS),
        (Polarity.LOWER_IS_BETTER, 40, Assurance.CONSISTENTLY_FAIL),
        (Polarity.NEITHER, 40, Assurance.NO_TARGET),
        (Polarity.HIGHER_IS_BETTER, None, Assurance.NO_TARGET),
    ],
)
def test_assurance_compares_target_with_limits(
    polarity: Polarity, target: float | None, expected: Assurance
) -> None:
    assert xmr(STABLE, polarity=polarity, target=target).assurance is expected


def test_short_series_are_refused_or_flagged() -> None:
    with pytest.raises(SpcError, match="at least 2"):
        xmr([1.0])
    assert not xmr([1, 2, 3]).enough_points
