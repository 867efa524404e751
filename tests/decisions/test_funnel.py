from __future__ import annotations

import pytest

from stpkit.decisions.errors import DecisionsError
from stpkit.decisions.funnel import funnel_counts


def test_funnel_counts_options_that_reached_each_list() -> None:
    reached = ["long"] * 30 + ["short"] * 4 + ["preferred"]
    assert [(s.key, s.count) for s in funnel_counts(reached, False)] == [
        ("long", 35),
        ("short", 5),
        ("preferred", 1),
    ]
    east = ["long", "long", "medium", "medium", "preferred"]
    assert [(s.key, s.count) for s in funnel_counts(east, True)] == [
        ("long", 5),
        ("medium", 3),
        ("preferred", 1),
    ]
    with pytest.raises(DecisionsError, match="Unknown list"):
        funnel_counts(["huge"], False)
