"""The financial bridge: bars, totals that reconcile, and bridges that do not."""

from __future__ import annotations

import re

import pytest

from stpkit.productivity import BridgeError, BridgeStep, StepKind, waterfall
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


def test_bridge_file_round_trips_the_seed() -> None:
    from stpkit.productivity import read_bridge
    from stpkit.productivity.kent_medway import bridge_rows, to_csv

    assert read_bridge(to_csv(bridge_rows()), "bridge.csv") == list(BRIDGE)


def test_bad_bridge_file_names_every_row() -> None:
    from stpkit.productivity import InputError, read_bridge

    bad = b"label,kind,amount,note\nGap,change,-100,\n,step,lots,\nLeft,end,-40,\n"
    with pytest.raises(InputError) as caught:
        read_bridge(bad, "bridge.csv")
    assert [str(i) for i in caught.value.issues] == [
        "bridge.csv, row 3, field 'label': is empty",
        "bridge.csv, row 3, field 'kind': 'step' is not one of change, subtotal, end",
        "bridge.csv, row 3, field 'amount': 'lots' is not a number or TBC",
    ]
    # Rows that are each fine but do not add up: the stated total's row is named.
    unbalanced = b"label,kind,amount\nGap,change,-100\nSavings,change,TBC\nLeft,end,-40\n"
    with pytest.raises(InputError) as caught:
        read_bridge(unbalanced, "bridge.csv")
    (issue,) = caught.value.issues
    assert (issue.row, issue.field) == (4, "amount")
    assert "'Left' is stated as -40.0 but its parts add to -100.0" in issue.reason
    no_end = b"label,kind,amount\nGap,change,-100\nSavings,change,60\n"
    with pytest.raises(InputError) as caught:
        read_bridge(no_end, "bridge.csv")
    assert str(caught.value.issues[0]) == (
        "bridge.csv, row 3, field 'kind': the last step ('Savings') must be the end of the bridge"
    )
