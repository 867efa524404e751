"""Theme discovery, analysts' edits, assignment with corrections, stance and campaigns."""

from __future__ import annotations

import pytest

from stpkit.consultation.analysis import analyse
from stpkit.consultation.assignment import assign_themes
from stpkit.consultation.duplicates import find_duplicates
from stpkit.consultation.errors import ThemeError
from stpkit.consultation.evaluation import measure
from stpkit.consultation.stance import Stance, stance_of
from stpkit.consultation.synthetic import OPEN_QUESTION, THEMES, generate
from stpkit.consultation.themes import (
    Theme,
    add_theme,
    build_corpus,
    discover_themes,
    merge_themes,
    rename_theme,
    split_theme,
)
from stpkit.consultation.vectors import embeddings_available


@pytest.fixture(scope="module")
def synthetic() -> tuple[list[str], list[str], dict[str, str], list[bool]]:
    responses = generate(800, seed=7)
    ids = [r.row["response_id"] for r in responses]
    texts = [r.row[OPEN_QUESTION] for r in responses]
    return (
        ids,
        texts,
        {r.row["response_id"]: r.theme for r in responses},
        [r.campaign for r in responses],
    )


def test_synthetic_consultation_is_deterministic_and_covers_every_theme() -> None:
    a, b = generate(300, seed=3), generate(300, seed=3)
    assert [r.row for r in a] == [r.row for r in b]
    assert {r.theme for r in generate(800)} >= set(THEMES)
    assert not any("{" in r.row[OPEN_QUESTION] for r in a)


def test_discovered_themes_agree_with_known_labels(synthetic) -> None:  # type: ignore[no-untyped-def]
    ids, texts, known, _ = synthetic
    corpus = build_corpus(ids, texts)
    themes = discover_themes(corpus, seed=0)
    assert 6 <= len(themes) <= 24
    assert all(t.label and t.keywords and t.prototypes for t in themes)
    result = measure(corpus, themes, known)
    # templated synthetic text: clustering should recover the themes well
    assert result.macro_f1 > 0.75, result
    assert set(result.per_theme_f1) == set(THEMES)


def test_every_response_gets_a_theme_or_none_with_confidence(synthetic) -> None:  # type: ignore[no-untyped-def]
    ids, texts, _, _ = synthetic
    analysis = analyse(ids, texts, k=10)
    assert len(analysis.assignments) == len(ids)
    for a, text in zip(analysis.assignments, texts, strict=True):
        assert 0.0 <= a.confidence <= 1.0
        if not text.strip():
            assert a.theme is None
    keys = {t.key for t in analysis.themes}
    assert {a.theme for a in analysis.assignments if a.theme} <= keys
    quotes = analysis.quotes()
    assert all(1 <= len(q) <= 3 for key, q in quotes.items() if analysis.counts()[key])


def test_corrections_are_kept_and_pull_similar_texts(synthetic) -> None:  # type: ignore[no-untyped-def]
    ids, texts, _, _ = synthetic
    corpus = build_corpus(ids, texts)
    themes = discover_themes(corpus, k=8)
    before = {a.response_id: a.theme for a in assign_themes(corpus, themes)}
    target = next(i for i, t in enumerate(texts) if t.strip())
    rid = ids[target]
    other = next(t.key for t in themes if t.key != before[rid])
    twins = [ids[i] for i, t in enumerate(texts) if t == texts[target] and ids[i] != rid]
    after = {a.response_id: a for a in assign_themes(corpus, themes, {rid: other})}
    assert after[rid].theme == other and after[rid].corrected and after[rid].confidence == 1.0
    for twin in twins:  # the identical texts follow the analyst's decision
        assert after[twin].theme == other
    with pytest.raises(ThemeError):
        assign_themes(corpus, themes, {rid: "no-such-theme"})


def test_rename_merge_split_and_add(synthetic) -> None:  # type: ignore[no-untyped-def]
    ids, texts, _, _ = synthetic
    corpus = build_corpus(ids, texts)
    themes = discover_themes(corpus, k=6)
    themes = rename_theme(themes, "t1", "Travel")
    assert themes[0].label == "Travel"
    prototypes = len(themes[0].prototypes) + len(themes[1].prototypes)
    merged = merge_themes(themes, ["t1", "t2"], "Travel and access")
    assert len(merged) == 5 and merged[0].label == "Travel and access"
    assert len(merged[0].prototypes) == prototypes  # both kinds of response still recognised
    with pytest.raises(ThemeError):
        merge_themes(merged, ["t1", "t1"])
    members = [a.response_id for a in assign_themes(corpus, merged) if a.theme == "t1"]
    split = split_theme(merged, "t1", members, corpus, parts=2)
    assert len(split) == 6
    assert {a.theme for a in assign_themes(corpus, split)} >= {"t1", split[1].key}
    added = add_theme(split, "Parking", ["parking", "parking charges"])
    assert (
        added[-1].key == "t8"
    )  # t2 went in the merge, t7 came from the split and added[-1].label == "Parking"
    parking = [a for a in assign_themes(corpus, added) if a.theme == "t8"]
    assert parking and all(
        "parking" in texts[corpus.index[a.response_id]].lower() for a in parking[:20]
    )
    with pytest.raises(ThemeError):
        add_theme(added, "Nothing", [])


def test_theme_round_trips_through_a_dict() -> None:
    theme = Theme("t3", "Staffing", ["nurses"], [["R1", "R2"]])
    assert Theme.from_dict(theme.to_dict()) == theme


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("I fully support the proposals.", Stance.AGREE),
        ("Broadly supportive, it makes sense.", Stance.AGREE),
        ("I strongly disagree. Do not close the unit at Maidstone.", Stance.DISAGREE),
        ("Hands off William Harvey!", Stance.DISAGREE),
        ("I do not support this at all.", Stance.DISAGREE),  # negated support
        ("Parking is expensive.", Stance.UNCLEAR),
        ("", Stance.UNCLEAR),
    ],
)
def test_stance(text: str, stance: Stance) -> None:
    assert stance_of(text) is stance


def test_campaign_texts_are_grouped_and_flagged(synthetic) -> None:  # type: ignore[no-untyped-def]
    ids, texts, _, campaign = synthetic
    groups = find_duplicates(ids, texts)
    flagged = {rid for g in groups if g.campaign for rid in g.ids}
    truth = {rid for rid, c in zip(ids, campaign, strict=True) if c}
    assert flagged == truth
    assert all(g.size >= 2 for g in groups)


def test_near_identical_texts_group_but_short_ones_are_not_campaigns() -> None:
    letter = (
        "Save our stroke unit at Maidstone! I object to the closure of the stroke unit and "
        "urge the CCGs to think again about what this means for our town."
    )
    texts = [letter + s for s in ["", " Yours sincerely."] * 6] + ["I agree."] * 12
    ids = [f"R{i}" for i in range(len(texts))]
    groups = {g.example[:4]: g for g in find_duplicates(ids, texts)}
    assert groups["Save"].size == 12 and groups["Save"].campaign and not groups["Save"].identical
    assert groups["I ag"].identical and not groups["I ag"].campaign


def test_embeddings_are_optional() -> None:
    # PyTorch is not installed here: the TF-IDF path must be the one used
    assert embeddings_available() is False
    corpus = build_corpus(["a", "b", "c"], ["bus travel", "bus fares", "nurses"], backend="auto")
    assert corpus.vectors.backend == "tfidf"
