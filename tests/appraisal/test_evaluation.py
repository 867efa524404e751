"""Scores, weighted totals, ranks and sensitivity, computed by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stpkit.appraisal import (
    Criterion,
    Option,
    evaluate,
    monte_carlo,
    one_at_a_time,
    rank_stability,
    switching_values,
)

# access: lower is better; outcome: higher is better
P = Option("P", {"time": 20, "good": 100})
Q = Option("Q", {"time": 30, "good": 160})
R = Option("R", {"time": 40, "good": 130})
CRIT = [
    Criterion("Access", "time", 3, "lower"),
    Criterion("Outcome", "good", 1, "higher"),
]


def test_scores_totals_and_ranks_by_hand() -> None:
    ev = evaluate([P, Q, R], CRIT)
    # Access: 20 -> 100, 30 -> 50, 40 -> 0. Outcome: 100 -> 0, 160 -> 100, 130 -> 50.
    assert ev.scores.tolist() == [[100, 0], [50, 100], [0, 50]]
    assert ev.weights.tolist() == [0.75, 0.25]
    assert ev.totals.tolist() == pytest.approx([75, 62.5, 12.5])
    assert ev.ranks.tolist() == [1, 2, 3]
    assert ev.preferred.name == "P"
    assert ev.rows()[0]["weighted score"] == 75


def test_a_tie_for_first_is_reported_not_hidden() -> None:
    # equal weights: P scores 100 + 0, S scores 0 + 100, both total 50
    s = Option("S", {"time": 40, "good": 160})
    ev = evaluate([P, s], [Criterion("Access", "time", 1, "lower"), CRIT[1]])
    assert ev.totals.tolist() == pytest.approx([50, 50])
    assert ev.ranks.tolist() == [1, 1]
    assert [o.name for o in ev.tied_first] == ["P", "S"]
    assert [o.name for o in evaluate([P, Q, R], CRIT).tied_first] == ["P"]


def test_fixed_anchors_and_piecewise_scores() -> None:
    c = Criterion("Access", "time", 1, "lower", worst=60, best=0)
    assert c.scores([0, 30, 60, 90]).tolist() == [100, 50, 0, 0]
    p = Criterion("Share", "s", 1, points=((0.5, 0), (0.9, 80), (1.0, 100)))
    assert p.scores([0.4, 0.7, 0.95]).tolist() == pytest.approx([0, 40, 90])


def test_switching_value_is_exact() -> None:
    ev = evaluate([P, Q, R], CRIT)
    sv = {s.criterion: s for s in switching_values(ev)}
    # P = 100 t + 0 (1-t); Q = 50 t + 100 (1-t): equal at t = 2/3 (Access share).
    assert sv["Access"].switch_share == pytest.approx(2 / 3)
    assert sv["Access"].to_option == "Q"
    assert sv["Access"].change == pytest.approx(2 / 3 - 0.75)
    # For Outcome share u: P = 100 (1-u), Q = 50 (1-u) + 100 u: equal at u = 1/3.
    assert sv["Outcome"].switch_share == pytest.approx(1 / 3)
    # and just past the switching value the preferred option really changes
    w = np.array([2 / 3 - 0.01, 1 / 3 + 0.01])
    assert evaluate([P, Q, R], CRIT, weights=w).preferred.name == "Q"


def test_one_at_a_time_sweep_changes_at_the_switching_value() -> None:
    ev = evaluate([P, Q, R], CRIT)
    sweep = [p for p in one_at_a_time(ev, steps=11) if p.criterion == "Access"]
    pref = {round(p.share, 1): p.preferred for p in sweep}
    assert pref[0.6] == "Q" and pref[0.7] == "P"


def test_monte_carlo_dominant_option_always_first() -> None:
    best = Option("Best", {"time": 10, "good": 200})
    ev = evaluate([P, Q, R, best], CRIT)
    mc = monte_carlo(ev, draws=500, seed=1)
    assert mc.first_share["Best"] == 1.0
    assert mc.rank_stability == 1.0
    assert rank_stability(ev, mc)["Best"] == 1.0
    assert sum(mc.rank_counts["P"]) == 500


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), min_size=2, max_size=6),
    st.floats(0.05, 0.95),
)
def test_switching_value_matches_brute_force(values: list[tuple[float, float]], w: float) -> None:
    opts = [Option(f"o{i}", {"a": a, "b": b}) for i, (a, b) in enumerate(values)]
    crit = [Criterion("A", "a", w), Criterion("B", "b", 1 - w)]
    ev = evaluate(opts, crit)
    sv = switching_values(ev)[0]
    if sv.switch_share is None:
        return
    # just past the switching value (on one side of it) the named option is at least level
    assert sv.to_option is not None
    j = [o.name for o in opts].index(sv.to_option)
    best = opts.index(ev.preferred)
    level = []
    for eps in (1e-6, -1e-6):
        beyond = sv.switch_share + eps
        if 0 <= beyond <= 1:
            moved = evaluate(opts, crit, weights=np.array([beyond, 1 - beyond]))
            level.append(moved.totals[j] >= moved.totals[best] - 1e-6)
    assert any(level)
