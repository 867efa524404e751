"""The financial bridge: bars, totals that reconcile, and bridges that do not."""

from __future__ import annotations

import re

import pytest

from stpkit.productivity.bridge import BridgeStep, StepKind, waterfall
from stpkit.productivity.errors import BridgeError
from stpkit.productivity.kent_medway import BRIDGE


def test_seed_bridge_reconciles() -> None:
    fall = waterfall(list(BRIDGE))
    assert fall.opening == -434
    assert fall.contributions == 405  # 190 + 102 + 50 + 51 + 12 + 122 - 122
    assert fall.closing == -29
    assert fall.reconciles
    assert fall.unquantified == ["Social care challenge", "System Leadership"]
    total = next(b for b in fall.bars if b.label == "Total system challenge")
    assert total.computed == -433 and total.difference == -1  # rounding in the published parts
    # Every change bar starts where the previous bar ended.
    for before, bar in zip(fall.bars, fall.bars[1:], strict=False):
        if bar.kind is StepKind.CHANGE:
            assert bar.start == before.end
            assert bar.end - bar.start == (bar.amount or 0)
    assert fall.bars[-1].start == 0 and fall.bars[-1].end == -29


def test_a_total_that_does_not_add_up_is_refused() -> None:
    steps = list(BRIDGE)
    steps[4] = BridgeStep("Productivity incl. CIP", StepKind.CHANGE, 180)
    expected = (
        "'Challenge 2020/21 after intervention' is stated as -29.0 but its parts add to -39.0"
    )
    with pytest.raises(BridgeError, match=re.escape(expected)):
        waterfall(steps)


def test_bridge_without_stated_end_total() -> None:
    fall = waterfall(
        [
            BridgeStep("Gap", StepKind.CHANGE, -100),
            BridgeStep("Savings", StepKind.CHANGE, 60),
            BridgeStep("Left", StepKind.END, None),
        ]
    )
    assert fall.closing == -40 and fall.reconciles and fall.bars[-1].difference == 0


def test_bridge_must_end_with_its_end() -> None:
    with pytest.raises(BridgeError, match="must be the end"):
        waterfall([BridgeStep("Gap", StepKind.CHANGE, -1)])
