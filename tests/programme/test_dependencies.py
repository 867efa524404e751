"""Dependencies between milestones: self and cycle rejection, slip detection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stpkit.programme.dependencies import check_new_dependency, find_cycle, find_slips, path_between
from stpkit.programme.errors import DependencyError


def test_a_milestone_cannot_depend_on_itself() -> None:
    with pytest.raises(DependencyError, match="cannot depend on itself"):
        check_new_dependency([], 1, 1, {1: "Launch consultation"})


def test_a_dependency_closing_a_cycle_is_refused_and_the_loop_named() -> None:
    names = {1: "PCBC", 2: "Investment Committee", 3: "Launch consultation"}
    edges = [(1, 2), (2, 3)]  # 1 before 2 before 3
    with pytest.raises(DependencyError) as err:
        check_new_dependency(edges, 3, 1, names)  # 1 would wait for 3
    message = str(err.value)
    assert "cycle" in message
    assert "“PCBC” → “Investment Committee” → “Launch consultation” → “PCBC”" in message


def test_a_two_step_cycle_is_refused() -> None:
    with pytest.raises(DependencyError, match="cycle"):
        check_new_dependency([(1, 2)], 2, 1)


def test_a_duplicate_dependency_is_refused() -> None:
    with pytest.raises(DependencyError, match="already depends"):
        check_new_dependency([(1, 2)], 1, 2)


def test_an_acyclic_addition_is_allowed() -> None:
    check_new_dependency([(1, 2), (2, 3)], 1, 3)
    check_new_dependency([(1, 2), (3, 4)], 2, 3)


def test_path_between_finds_the_chain() -> None:
    assert path_between([(1, 2), (2, 3), (5, 6)], 1, 3) == [1, 2, 3]
    assert path_between([(1, 2)], 2, 1) is None


def test_find_cycle() -> None:
    assert find_cycle([(1, 2), (2, 3)]) is None
    cycle = find_cycle([(1, 2), (2, 3), (3, 1), (4, 1)])
    assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {1, 2, 3}


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=25))
def test_edges_accepted_one_by_one_never_form_a_cycle(candidates: list[tuple[int, int]]) -> None:
    accepted: list[tuple[int, int]] = []
    for before, after in candidates:
        try:
            check_new_dependency(accepted, before, after)
        except DependencyError:
            continue
        accepted.append((before, after))
    assert find_cycle(accepted) is None


def test_slip_when_predecessor_forecast_after_successor() -> None:
    forecast = {
        "workbook": date(2018, 5, 31),
        "capital bid": date(2018, 4, 30),  # waits for workbook: slipped 31 days
        "kid": date(2017, 12, 31),
        "local model": date(2018, 2, 28),  # waits for kid: fine
    }
    slips = find_slips([("workbook", "capital bid"), ("kid", "local model")], forecast)
    assert len(slips) == 1
    assert (slips[0].predecessor, slips[0].successor, slips[0].days) == (
        "workbook",
        "capital bid",
        31,
    )


def test_same_day_is_not_a_slip_and_missing_dates_are_ignored() -> None:
    d = date(2018, 3, 8)
    assert find_slips([(1, 2)], {1: d, 2: d}) == []
    assert find_slips([(1, 2)], {1: d, 2: None}) == []
    assert find_slips([(1, 3)], {1: d}) == []


def test_completed_predecessors_do_not_slip_and_worst_comes_first() -> None:
    forecast = {1: date(2018, 6, 1), 2: date(2018, 5, 1), 3: date(2018, 9, 1), 4: date(2018, 1, 1)}
    slips = find_slips([(1, 2), (3, 4)], forecast)
    assert [s.predecessor for s in slips] == [3, 1]
    assert find_slips([(1, 2), (3, 4)], forecast, done=[3]) == [slips[1]]
