"""Delivery confidence roll-up as the board sees it: the programme takes its worst workstream."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stpkit.programme.rag import ORDER, Rag, mean_rating, worst


def test_one_workstream_in_doubt_puts_the_programme_in_doubt() -> None:
    ratings = [Rag.GREEN] * 9 + [Rag.AMBER_RED]
    assert worst(ratings) is Rag.AMBER_RED
    assert mean_rating(ratings) is Rag.GREEN  # the softer trend measure hides it


@given(st.lists(st.sampled_from(ORDER), min_size=1))
def test_the_roll_up_lies_between_best_and_worst(ratings: list[Rag]) -> None:
    best_rank = min(r.rank for r in ratings)
    w, m = worst(ratings), mean_rating(ratings)
    assert w is not None and m is not None
    assert w.rank == max(r.rank for r in ratings)
    assert best_rank <= m.rank <= w.rank


def test_ratings_round_trip_through_their_stored_values() -> None:
    assert [Rag(r.value) for r in ORDER] == ORDER
    assert len({r.meaning for r in ORDER}) == 5
