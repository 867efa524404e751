"""Disclosure control against hand-computed cases from REFERENCE.md."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stpkit.disclosure import (
    MidpointSixRule,
    NhsDigitalRule,
    OpenSafelyRule,
    policy_named,
    protect,
    protected_total,
)


def test_opensafely_redacts_seven_or_fewer_and_rounds_to_five() -> None:
    assert protect([0, 1, 7, 8, 12, 13, 102, 1003]) == [0, 0, 0, 10, 10, 15, 100, 1005]


def test_opensafely_total_is_the_sum_of_rounded_cells() -> None:
    # 3 is redacted; 1003 -> 1005; 48 -> 50; true total 1054 is never published.
    assert protected_total([3, 1003, 48]) == 1055


def test_midpoint_six() -> None:
    rule = MidpointSixRule()
    assert [rule.apply(x) for x in (0, 1, 6, 7, 12, 13, 18)] == [0, 3, 3, 9, 9, 15, 15]


def test_nhs_digital_suppresses_one_to_seven() -> None:
    assert protect([0, 1, 7, 8], NhsDigitalRule()) == [0, None, None, 8]


def test_negative_or_fractional_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="whole number"):
        protect([-1])
    with pytest.raises(ValueError, match="whole number"):
        OpenSafelyRule().apply(2.5)  # type: ignore[arg-type]


def test_unknown_policy_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="opensafely, midpoint6, nhs_digital"):
        policy_named("nope")


@given(st.integers(min_value=0, max_value=10**7))
def test_opensafely_output_is_never_small_and_always_a_multiple_of_five(n: int) -> None:
    v = OpenSafelyRule().apply(n)
    assert v is not None and v % 5 == 0 and (v == 0 or v >= 10)
    assert abs(v - n) <= (7 if n <= 7 else 2)
