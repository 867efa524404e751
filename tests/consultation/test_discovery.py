"""Proposed themes: readable phrase names, never two alike."""

from __future__ import annotations

from stpkit.consultation.analysis import analyse
from stpkit.consultation.discovery import discover_framework, readable_names
from stpkit.consultation.synthetic import OPEN_QUESTION, generate


def test_names_are_phrases_and_distinct() -> None:
    groups = [
        ["The travel time to Ashford is long.", "Travel time matters.", "Travel time again."],
        ["Bus fares are high.", "Bus fares cost a lot."],
        ["The travel time is bad.", "Travel time, travel time."],
        ["ok", "fine"],
    ]
    everything = [t for g in groups for t in g] + ["Something else entirely."] * 5
    names = readable_names(groups, everything)
    assert names[:2] == ["Travel time", "Bus fares"]
    assert len(set(names)) == len(names)  # the third does not repeat "Travel time"
    assert names[2:] == ["Other comments", "Other comments (2)"]
    assert readable_names([["ok"]], ["ok"], taken=["Other comments"]) == ["Other comments (2)"]


def test_discovered_labels_are_unique_and_not_keyword_lists() -> None:
    responses = generate(600, seed=5)
    texts = [r.row[OPEN_QUESTION] for r in responses]
    ids = [r.row["response_id"] for r in responses]
    for labels in (
        [t.name for t in discover_framework(texts, k=12)],
        [t.label for t in analyse(ids, texts, k=12).themes],
    ):
        assert len(labels) == 12 and len(set(labels)) == 12, labels
        assert not any(", " in label for label in labels), labels  # no "a, b, c" salad
        assert all(2 <= len(label.split()) <= 4 for label in labels if "comments" not in label)
        assert not any(label.lower().split()[0] in {"the", "and", "it's"} for label in labels)
    proposed = discover_framework(texts, k=8)
    assert all(t.description and t.examples for t in proposed)


def test_a_small_set_of_answers_still_gets_distinct_proposals() -> None:
    """Under 200 sentences there is no SVD view; the word view is clustered instead."""
    from stpkit.consultation.discovery import discover_framework
    from stpkit.consultation.synthetic import OPEN_QUESTION, generate

    texts = [s.row[OPEN_QUESTION] for s in generate(60, 3)]
    proposed = discover_framework(texts, k=5)
    assert len(proposed) == 5
    assert len({t.name for t in proposed}) == 5
    assert len({t.description for t in proposed}) == 5
