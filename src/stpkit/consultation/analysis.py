"""One call per open question: vectors, themes (discovered or given), assignments, stance.

The web app and the CLI both use this, so an analyst's themes and corrections give the same
assignments wherever they are applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from stpkit.consultation.assignment import Assignment, assign_themes
from stpkit.consultation.stance import stance_of
from stpkit.consultation.themes import Corpus, Theme, build_corpus, discover_themes
from stpkit.consultation.vectors import Backend


@dataclass
class QuestionAnalysis:
    corpus: Corpus
    themes: list[Theme]
    assignments: list[Assignment]
    stances: dict[str, str]

    def members(self, key: str) -> list[str]:
        return [a.response_id for a in self.assignments if a.theme == key]

    def quotes(self, n: int = 3) -> dict[str, list[str]]:
        """Representative quotes of each theme from the responses now assigned to it."""
        from stpkit.consultation.themes import representative_quotes

        return {
            t.key: representative_quotes(self.corpus, self.corpus.rows(self.members(t.key)), n)
            for t in self.themes
        }

    def counts(self) -> dict[str, int]:
        out = {t.key: 0 for t in self.themes}
        for a in self.assignments:
            if a.theme in out:
                out[a.theme] += 1
        return out

    def low_confidence(self, below: float = 0.6) -> list[Assignment]:
        return sorted(
            (a for a in self.assignments if a.theme and not a.corrected and a.confidence < below),
            key=lambda a: a.confidence,
        )


def analyse(
    ids: Sequence[str],
    texts: Sequence[str],
    themes: Sequence[Theme] | None = None,
    corrections: Mapping[str, str] | None = None,
    k: int | None = None,
    backend: Backend = "auto",
    seed: int = 0,
    corpus: Corpus | None = None,
) -> QuestionAnalysis:
    """Discover themes when none are given, then assign every response and read its stance.

    backend "auto" uses sentence embeddings when the optional offline package is installed
    and TF-IDF otherwise (`vectors.fit_vectors`).
    """
    corpus = corpus or build_corpus(ids, texts, backend, seed)
    found = list(themes) if themes is not None else discover_themes(corpus, k, seed)
    assignments = assign_themes(corpus, found, corrections)
    stances = {
        rid: stance_of(text).value for rid, text in zip(corpus.ids, corpus.texts, strict=True)
    }
    return QuestionAnalysis(corpus, found, assignments, stances)


def confidence_summary(analysis: QuestionAnalysis) -> dict[str, float]:
    values = np.array([a.confidence for a in analysis.assignments if a.theme])
    if len(values) == 0:
        return {"median": 0.0, "below_0_6": 0.0}
    return {"median": float(np.median(values)), "below_0_6": float((values < 0.6).mean())}
