# ruff: noqa: E501  (cue patterns read best one to a line)
"""Stance towards the proposal: agree (support), disagree (oppose) or unclear.

Method (general, not written for one consultation; docs/consultation.md):

- The response's own closed answer, where the survey has one ("Strongly agree", "No", ...),
  decides when it takes a side.
- Otherwise signals in the text are added up, each +1 (support) or -1 (oppose):
  a leading "Yes"/"No"; words of agreement or disagreement with the proposal
  ("I support", "good idea", "long overdue"; "I oppose", "a mistake", "overreach"), flipped
  by a negation just before them ("I do not support", "not a good idea"); and, when the
  theme framework says which side a theme argues (its `position`), the themes found in the
  response weighted by their confidence.
- Where a response weighs both sides, what follows "however", "but", "yet", "still", "that
  said" counts double and what sits in a "While ..., " / "Although ..., " clause counts half:
  people end on the side they come down on.
- A total of zero is unclear.
- With an analyst's labels for some responses, a logistic model over the same signals
  (summed separately) learns their weights for this question (`StanceModel`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    UNCLEAR = "unclear"


AGREE_PHRASES = (
    r"\b(?:cannot|can'?t|don'?t|do not) see (?:any|a) (?:reason|grounds) to (?:object|oppose)",
    r"\bno (?:reason|grounds) to (?:object|oppose)",
    r"\bno objections?\b",
    r"\b(?:i|we) (?:(?:would |do |very |fully |strongly |broadly |wholeheartedly |completely |totally )*)(?:support|agree|back|welcome|endorse|approve)",
    r"\b(?:support|welcome|back|endorse|applaud)s? (?:this|these|the (?:ban|plan|proposal|proposals|change|changes|idea))\b",
    r"\bin (?:favour|favor)\b",
    r"\b(?:broadly |fully )?supportive\b",
    r"\b(?:good|great|excellent|sensible|positive) (?:idea|move|step|plan|change|decision|proposal)\b",
    r"\bwell done\b",
    r"\bsensible\b",
    r"\bthe right (?:change|thing|decision|move|approach|direction)\b",
    r"\bstep in the right direction\b",
    r"\b(?:long )?overdue\b",
    r"\bgo ahead\b",
    r"\bget on with it\b",
    r"\bmakes (?:good |a lot of )?sense\b",
    r"\bconvincing\b",
    r"\bfor the best\b",
    r"\bi am (?:all )?for\b",
    r"\bworth (?:it|doing|trying)\b",
    r"\bbeneficial\b",
    r"\bnecessary\b",
    r"\bshould (?:definitely |certainly )?(?:be )?(?:go ahead|implemented|introduced|adopted|approved)\b",
)
DISAGREE_PHRASES = (
    r"\b(?:i|we) (?:do |would |can |could |really )?(?:not |never )(?:fully )?(?:support|agree|back|welcome|endorse|approve)",
    r"\b(?:i|we) (?:don'?t|doesn'?t|can'?t|cannot|won'?t|wouldn'?t) (?:fully )?(?:support|agree|back|welcome|endorse|approve)",
    r"\b(?:i|we) (?:(?:very |strongly |totally |completely |fully )*)(?:disagree|oppose|object|reject)",
    r"\b(?:i|we) am against\b",
    r"\b(?:i|we) are against\b",
    r"\bagainst (?:this|these|the (?:ban|plan|proposal|proposals|change|changes|idea))",
    r"\b(?:bad|terrible|awful|poor|stupid|ridiculous) (?:plan|idea|move|decision|proposal)\b",
    r"\b(?:a|big|huge|serious|grave) mistake\b",
    r"\bmisguided\b",
    r"\bill[- ]conceived\b",
    r"\bshort[- ]sighted\b",
    r"\bunnecessary\b",
    r"\bunfair\b",
    r"\boverreach",
    r"\bover[- ]?regulation\b",
    r"\bgo(?:es|ing)? too far\b",
    r"\bnanny state\b",
    r"\bthink again\b",
    r"\b(?:reconsider|rethink|scrap|abandon|drop) (?:this|these|the|your)\b",
    r"\bdisaster",
    r"\bunforgivable\b",
    r"\bbetrayal\b",
    r"\bwaste of\b",
    r"\bhands off\b",
    r"\bsave (?:our|the) \w+",
    r"\b(?:do not|don'?t) (?:close|cut|remove|downgrade|scrap)\b",
    r"\bkeep (?:our|the) (?:\w+ ){1,3}open\b",
    r"\bshould (?:not|n't) (?:go ahead|be (?:implemented|introduced|adopted|approved|allowed))\b",
)
NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can'?t|won'?t|don'?t|doesn'?t|isn'?t|wasn'?t|hardly|neither|nor)"
    r"\s+(?:\w+\s+){0,2}$"
)
OPENING = re.compile(
    r"^\W*(yes|yep|yeah|absolutely|definitely|agreed|no|nope)\b(?!\s+(?:one|longer|doubt|matter))",
    re.I,
)
CONTRAST = re.compile(
    r"\b(?:however|but|yet|still|nevertheless|nonetheless|on the other hand|that said|"
    r"even so|then again)\b",
    re.I,
)
CONCESSIVE = re.compile(
    r"^\s*(?:while|whilst|although|though|even though|despite|admittedly)\b[^,]*,", re.I
)
AGREE_ANSWERS = {
    "strongly agree",
    "agree",
    "tend to agree",
    "yes",
    "support",
    "strongly support",
    "somewhat agree",
    "mostly agree",
}
DISAGREE_ANSWERS = {
    "strongly disagree",
    "disagree",
    "tend to disagree",
    "no",
    "oppose",
    "strongly oppose",
    "somewhat disagree",
    "mostly disagree",
}
_AGREE = [re.compile(p) for p in AGREE_PHRASES]
_DISAGREE = [re.compile(p) for p in DISAGREE_PHRASES]


def closed_stance(answer: str | None) -> Stance:
    """A closed answer's side: agree, disagree or unclear (neutral, don't know, blank)."""
    text = re.sub(r"\s+", " ", (answer or "").strip().lower())
    if text in AGREE_ANSWERS:
        return Stance.AGREE
    if text in DISAGREE_ANSWERS:
        return Stance.DISAGREE
    return Stance.UNCLEAR


@dataclass(frozen=True)
class Signals:
    """The stance signals of one response, each side summed separately (for learning)."""

    words_for: float = 0.0
    words_against: float = 0.0
    themes_for: float = 0.0
    themes_against: float = 0.0
    opening: float = 0.0  # +1 leading yes, -1 leading no
    closed: float = 0.0  # +1 / -1 from the closed answer, 0 when none or neutral

    @property
    def total(self) -> float:
        return (
            self.words_for
            - self.words_against
            + self.themes_for
            - self.themes_against
            + self.opening
        )

    def vector(self) -> list[float]:
        return [
            self.words_for,
            self.words_against,
            self.themes_for,
            self.themes_against,
            self.opening,
            self.closed,
        ]


def _weights(text: str) -> list[tuple[int, int, float]]:
    """(start, end, weight) spans: after a contrast x2, a concessive opening clause x0.5."""
    spans: list[tuple[int, int, float]] = []
    last = None
    for match in CONTRAST.finditer(text):
        last = match
    cut = last.start() if last else len(text)
    spans.append((0, cut, 1.0))
    if last:
        spans.append((cut, len(text), 2.0))
    concessive = CONCESSIVE.match(text)
    if concessive:
        spans.insert(0, (0, concessive.end(), 0.5))
    return spans


def _weight_at(spans: list[tuple[int, int, float]], position: int) -> float:
    for start, end, weight in spans:
        if start <= position < end:
            return weight
    return 1.0


def _count(
    text: str, patterns: Sequence[re.Pattern[str]], spans: list[tuple[int, int, float]]
) -> tuple[float, float]:
    """(plain hits, negated hits), each weighted by where it stands."""
    plain = negated = 0.0
    for pattern in patterns:
        for match in pattern.finditer(text):
            weight = _weight_at(spans, match.start())
            if NEGATION.search(text[max(0, match.start() - 40) : match.start()]):
                negated += weight
            else:
                plain += weight
    return plain, negated


def signals(
    text: str,
    closed_answer: str | None = None,
    theme_sides: Sequence[tuple[str, float, str]] = (),
) -> Signals:
    """The signals of one response. `theme_sides` are (position, confidence, evidence
    sentence) of the themes found in it, position "support" or "oppose"."""
    lowered = text.lower()
    spans = _weights(lowered)
    agree, agree_negated = _count(lowered, _AGREE, spans)
    disagree, disagree_negated = _count(lowered, _DISAGREE, spans)
    themes_for = themes_against = 0.0
    for position, confidence, sentence in theme_sides:
        at = lowered.find(sentence.lower()[:40]) if sentence else -1
        weight = confidence * (_weight_at(spans, at) if at >= 0 else 1.0)
        if position == "support":
            themes_for += weight
        elif position == "oppose":
            themes_against += weight
    opening = OPENING.match(text)
    lead = 0.0
    if opening:
        lead = -1.0 if opening.group(1).lower() in ("no", "nope") else 1.0
    closed = closed_stance(closed_answer)
    return Signals(
        words_for=agree + disagree_negated,
        words_against=disagree + agree_negated,
        themes_for=themes_for,
        themes_against=themes_against,
        opening=lead,
        closed={Stance.AGREE: 1.0, Stance.DISAGREE: -1.0}.get(closed, 0.0),
    )


def _side(value: float) -> Stance:
    if value > 0:
        return Stance.AGREE
    if value < 0:
        return Stance.DISAGREE
    return Stance.UNCLEAR


def stance_of(
    text: str,
    closed_answer: str | None = None,
    theme_sides: Sequence[tuple[str, float, str]] = (),
) -> Stance:
    """The stance of one response by the documented rule (no labels needed)."""
    found = signals(text, closed_answer, theme_sides)
    if found.closed:
        return _side(found.closed)
    return _side(found.total)


class StanceModel:
    """Stance learned from an analyst's labels: a logistic model over the signals."""

    def __init__(self) -> None:
        self.model = None

    def fit(self, found: Sequence[Signals], labels: Sequence[str]) -> StanceModel:
        from sklearn.linear_model import LogisticRegression

        y = np.array([1 if s == Stance.AGREE else 0 for s in labels])
        usable = np.array([s in (Stance.AGREE, Stance.DISAGREE) for s in labels])
        if usable.sum() >= 10 and len(set(y[usable])) == 2:
            x = np.array([s.vector() for s in found])[usable]
            self.model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y[usable])
        return self

    def predict(self, found: Sequence[Signals]) -> list[Stance]:
        if self.model is None:
            return [_side(s.closed) if s.closed else _side(s.total) for s in found]
        p = self.model.predict_proba(np.array([s.vector() for s in found]))[:, 1]
        out = []
        for s, prob in zip(found, p, strict=True):
            out.append(
                _side(s.closed) if s.closed else (Stance.AGREE if prob >= 0.5 else Stance.DISAGREE)
            )
        return out


def stances(
    ids: Sequence[str],
    texts: Sequence[str],
    closed_answers: Mapping[str, str] | None = None,
    theme_sides: Mapping[str, Sequence[tuple[str, float, str]]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Stance per response id; analyst-labelled responses keep their label."""
    closed_answers = closed_answers or {}
    theme_sides = theme_sides or {}
    labels = dict(labels or {})
    found = [
        signals(text, closed_answers.get(rid), theme_sides.get(rid, ()))
        for rid, text in zip(ids, texts, strict=True)
    ]
    model = StanceModel()
    if labels:
        rows = [i for i, rid in enumerate(ids) if rid in labels]
        model.fit([found[i] for i in rows], [labels[ids[i]] for i in rows])
    predicted = model.predict(found)
    out = {}
    for rid, text, stance in zip(ids, texts, predicted, strict=True):
        if rid in labels:
            out[rid] = labels[rid]
        elif not text.strip() and not closed_answers.get(rid):
            out[rid] = Stance.UNCLEAR.value
        else:
            out[rid] = stance.value
    return out
