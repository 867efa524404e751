"""Delivery confidence roll-up."""

from stpkit.programme.rag import ORDER, Rag, mean_rating, worst


def test_ratings_are_ordered_best_to_worst_with_labels_and_meanings() -> None:
    assert [r.label for r in ORDER] == ["Green", "Amber/Green", "Amber", "Amber/Red", "Red"]
    assert Rag.GREEN.meaning.startswith("Successful delivery appears highly likely")
    assert Rag.RED.meaning.startswith("Successful delivery appears to be unachievable")


def test_worst_of_several() -> None:
    assert worst([Rag.GREEN, Rag.AMBER_RED, Rag.AMBER]) is Rag.AMBER_RED
    assert worst([]) is None


def test_mean_rating_rounds_half_up() -> None:
    assert mean_rating([Rag.GREEN, Rag.AMBER]) is Rag.AMBER_GREEN  # ranks 0, 2 -> 1
    assert mean_rating([Rag.GREEN, Rag.AMBER_GREEN]) is Rag.AMBER_GREEN  # 0.5 -> 1
    assert mean_rating([Rag.GREEN, Rag.GREEN, Rag.AMBER_GREEN]) is Rag.GREEN
