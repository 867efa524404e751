"""Stance towards the proposal in a response's text: agree, disagree or unclear.

A transparent phrase lexicon, so an analyst can see why a text was called one way:
phrases of support and opposition are counted (a negation just before flips one) and
the stance is the side with more; a tie or nothing found is unclear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    UNCLEAR = "unclear"


AGREE_PHRASES = (
    r"\bi (?:fully |strongly |broadly )?(?:support|agree|back|welcome|endorse)",
    r"\bin favour\b",
    r"\bbroadly supportive\b",
    r"\bgood idea\b",
    r"\bwell done\b",
    r"\bsensible\b",
    r"\bthe right (?:change|thing|decision)\b",
    r"\blong overdue\b",
    r"\bgo ahead\b",
    r"\bget on with it\b",
    r"\bmakes sense\b",
    r"\bconvincing\b",
    r"\bwill save lives\b",
)
DISAGREE_PHRASES = (
    r"\bi (?:strongly )?(?:disagree|oppose|object)",
    r"\bi (?:do not|don'?t|cannot|can'?t) (?:support|agree)",
    r"\bi am against\b",
    r"\bagainst (?:this|these|the plan)",
    r"\bbad (?:plan|idea)\b",
    r"\bdo not close\b",
    r"\bdon'?t close\b",
    r"\bhands off\b",
    r"\bsave (?:our|the)\b",
    r"\bkeep \w+(?: \w+)?'?s? stroke\b",
    r"\bclosing\b",
    r"\bclosure\b",
    r"\bthink again\b",
    r"\bdisaster\b",
    r"\bunforgivable\b",
    r"\bbetrayal\b",
)
NEGATION = re.compile(r"\b(?:not|don'?t|do not|never|cannot|can'?t|won'?t)\s+(?:\w+\s+){0,1}$")
_AGREE = [re.compile(p) for p in AGREE_PHRASES]
_DISAGREE = [re.compile(p) for p in DISAGREE_PHRASES]


def _count(text: str, patterns: Sequence[re.Pattern[str]]) -> tuple[int, int]:
    """(plain hits, negated hits)."""
    plain = negated = 0
    for pattern in patterns:
        for match in pattern.finditer(text):
            if NEGATION.search(text[: match.start()]):
                negated += 1
            else:
                plain += 1
    return plain, negated


def stance_of(text: str) -> Stance:
    lowered = text.lower()
    agree, agree_negated = _count(lowered, _AGREE)
    disagree, disagree_negated = _count(lowered, _DISAGREE)
    for_ = agree + disagree_negated
    against = disagree + agree_negated
    if for_ > against:
        return Stance.AGREE
    if against > for_:
        return Stance.DISAGREE
    return Stance.UNCLEAR
