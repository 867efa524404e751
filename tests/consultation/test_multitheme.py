"""Several themes per response with confidence and evidence sentence; counts once per
theme; learning from an analyst's labels."""

from __future__ import annotations

import numpy as np
import pytest

from stpkit.consultation.analysis import analyse
from stpkit.consultation.evaluation import multilabel_scores
from stpkit.consultation.framework import FrameworkTheme
from stpkit.consultation.multitheme import assign_framework, split_sentences
from stpkit.consultation.report import build_report
from stpkit.consultation.synthetic import FRAMEWORK, OPEN_QUESTION, STROKE_SURVEY, generate
from stpkit.disclosure import OpenSafelyRule

THEMES = [
    FrameworkTheme("TR", "Travel time", "The journey to hospital by bus or car takes too long"),
    FrameworkTheme("ST", "Staffing", "Not enough nurses and doctors; staff shortages"),
    FrameworkTheme("PK", "Parking", "Car parking charges and spaces at the hospital"),
]
TEXTS = {
    "r1": "The bus journey to hospital takes far too long. We also lack nurses and doctors.",
    "r2": "Staff shortages are the real problem, there are not enough nurses.",
    "r3": "Parking charges at the hospital are a scandal and there are never any spaces.",
    "r4": "",
    "r5": "The journey by car takes too long; parking charges at the hospital are too high.",
    "r6": "Lovely weather today.",
}


def test_split_sentences_keeps_clauses_and_short_texts() -> None:
    assert split_sentences("Too far. Not enough staff; parking dear!") == [
        "Too far.",
        "Not enough staff;",
        "parking dear!",
    ]
    assert split_sentences("Fine") == ["Fine"] and split_sentences("  ") == []


def test_a_response_making_two_points_gets_two_themes_with_their_sentences() -> None:
    result = assign_framework(list(TEXTS), list(TEXTS.values()), THEMES)
    r1 = {h.theme: h for h in result.hits["r1"]}
    assert set(r1) == {"TR", "ST"}
    assert r1["TR"].sentence.startswith("The bus journey")
    assert r1["ST"].sentence.startswith("We also lack nurses")
    assert {h.theme for h in result.hits["r5"]} == {"TR", "PK"}
    assert [h.theme for h in result.hits["r2"]] == ["ST"]
    assert [h.theme for h in result.hits["r3"]] == ["PK"]
    assert result.hits["r4"] == [] and result.hits["r6"] == []  # blank, off-topic: none
    for hits in result.hits.values():
        assert all(0 < h.confidence <= 1 for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_counts_count_a_response_once_in_each_of_its_themes() -> None:
    analysis = analyse(list(TEXTS), list(TEXTS.values()), framework=THEMES)
    assert analysis.counts() == {"TR": 2, "ST": 2, "PK": 2}  # 6 mentions from 4 responses
    assert sorted(analysis.members("TR")) == ["r1", "r5"]
    assert analysis.themes_of("r1") == [h.theme for h in (analysis.hits or {})["r1"]]
    first = {a.response_id: a.theme for a in analysis.assignments}
    assert first["r4"] is None and first["r1"] in {"TR", "ST"}
    # the report counts the same way, and the unthemed are the answered with no theme
    from stpkit.consultation.survey import Response

    responses = [
        Response(rid, "public", {}, "", "", "", {}, {OPEN_QUESTION: text})
        for rid, text in TEXTS.items()
    ]
    several = {rid: [h.theme for h in hits] for rid, hits in (analysis.hits or {}).items()}
    report = build_report(
        "t",
        "p",
        STROKE_SURVEY,
        responses,
        {OPEN_QUESTION: analysis.themes},
        {OPEN_QUESTION: analysis.assignments},
        {OPEN_QUESTION: analysis.stances},
        {},
        themes_per_response={OPEN_QUESTION: several},
        policy=OpenSafelyRule(threshold=0, base=1),  # no suppression: exact counts
    )
    summary = report.open[0]
    assert {t.key: t.count for t in summary.themes} == {"TR": 2, "ST": 2, "PK": 2}
    assert summary.answered == 5 and summary.unthemed == 1  # r6 only


def test_labels_are_kept_and_unknown_theme_keys_refused() -> None:
    result = assign_framework(list(TEXTS), list(TEXTS.values()), THEMES, labels={"r6": ["PK"]})
    assert [(h.theme, h.confidence) for h in result.hits["r6"]] == [("PK", 1.0)]
    with pytest.raises(Exception, match="not in the framework"):
        assign_framework(list(TEXTS), list(TEXTS.values()), THEMES, labels={"r1": ["XX"]})


@pytest.fixture(scope="module")
def harder() -> tuple[list[str], list[str], dict[str, set[str]]]:
    responses = generate(1200, seed=11)
    ids = [r.row["response_id"] for r in responses]
    texts = [r.row[OPEN_QUESTION] for r in responses]
    return ids, texts, {r.row["response_id"]: set(r.themes) for r in responses if r.themes}


def test_synthetic_responses_carry_several_themes(harder) -> None:  # type: ignore[no-untyped-def]
    _, _, truth = harder
    share = np.mean([len(t) > 1 for t in truth.values()])
    assert 0.2 < share < 0.5


def test_framework_finds_second_themes_and_labels_improve_it(harder) -> None:  # type: ignore[no-untyped-def]
    ids, texts, truth = harder
    keys = [t.key for t in FRAMEWORK]
    plain = assign_framework(ids, texts, FRAMEWORK)
    pred = {rid: [h.theme for h in hs] for rid, hs in plain.hits.items()}
    several = {rid: t for rid, t in truth.items() if len(t) > 1}
    both = np.mean([len(set(pred[r]) & t) == 2 for r, t in several.items()])
    assert both > 0.2  # one theme per response would score 0 here
    names_only = multilabel_scores(pred, truth, keys)
    rng = np.random.default_rng(0)
    chosen = [str(r) for r in rng.choice(sorted(truth), 150, replace=False)]
    learned = assign_framework(ids, texts, FRAMEWORK, labels={r: truth[r] for r in chosen})
    held = {r: t for r, t in truth.items() if r not in set(chosen)}
    pred = {rid: [h.theme for h in hs] for rid, hs in learned.hits.items()}
    with_labels = multilabel_scores(pred, held, keys)
    assert with_labels.macro_f1 > names_only.macro_f1 + 0.05, (with_labels, names_only)
    assert learned.probabilities is not None
    uncertain = learned.uncertain(10)
    assert len(uncertain) == 10 and not set(uncertain) & set(chosen) - set(uncertain)


def test_a_blank_answer_gets_no_theme_even_when_learning_from_labels() -> None:
    """With labels a classifier decides; a blank answer has nothing for it to decide on."""
    ids = [f"r{i}" for i in range(30)] + ["blank"]
    texts = [TEXTS["r1"] if i % 2 else TEXTS["r2"] for i in range(30)] + [""]
    labels = {f"r{i}": ({"TR", "ST"} if i % 2 else {"ST"}) for i in range(12)}
    result = assign_framework(ids, texts, THEMES, labels)
    assert result.probabilities is not None  # the learned path was taken
    assert result.hits["blank"] == []
    assert {h.theme for h in result.hits["r13"]} >= {"ST"}
