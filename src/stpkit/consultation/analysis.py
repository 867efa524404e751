"""One call per open question: vectors, themes (discovered or given), assignments, stance.

The web app and the CLI both use this, so an analyst's themes and corrections give the same
assignments wherever they are applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from stpkit.consultation.assignment import Assignment, assign_themes
from stpkit.consultation.framework import FrameworkTheme
from stpkit.consultation.multitheme import ThemeHit, assign_framework
from stpkit.consultation.stance import stances as read_stances
from stpkit.consultation.themes import Corpus, Theme, build_corpus, discover_themes
from stpkit.consultation.vectors import Backend


@dataclass
class QuestionAnalysis:
    corpus: Corpus
    themes: list[Theme]
    assignments: list[Assignment]
    stances: dict[str, str]
    # several themes per response (framework path): response id -> hits, best first
    hits: dict[str, list[ThemeHit]] | None = None
    framework: list[FrameworkTheme] | None = None
    margins: dict[str, float] | None = None  # framework path: low = review first

    def themes_of(self, response_id: str) -> list[str]:
        """The theme keys of one response (several when it has several)."""
        if self.hits is not None:
            return [h.theme for h in self.hits.get(response_id, [])]
        theme = next((a.theme for a in self.assignments if a.response_id == response_id), None)
        return [theme] if theme else []

    def members(self, key: str) -> list[str]:
        if self.hits is not None:
            return [rid for rid, hits in self.hits.items() if any(h.theme == key for h in hits)]
        return [a.response_id for a in self.assignments if a.theme == key]

    def quotes(self, n: int = 3) -> dict[str, list[str]]:
        """Representative quotes of each theme from the responses now assigned to it."""
        from stpkit.consultation.themes import representative_quotes

        return {
            t.key: representative_quotes(self.corpus, self.corpus.rows(self.members(t.key)), n)
            for t in self.themes
        }

    def counts(self) -> dict[str, int]:
        """Responses per theme; a response with several themes counts once in each."""
        out = {t.key: 0 for t in self.themes}
        if self.hits is not None:
            for hits in self.hits.values():
                for key in {h.theme for h in hits}:
                    if key in out:
                        out[key] += 1
            return out
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
    framework: Sequence[FrameworkTheme] | None = None,
    labels: Mapping[str, Sequence[str] | set[str]] | None = None,
    closed_answers: Mapping[str, str] | None = None,
    stance_labels: Mapping[str, str] | None = None,
    max_themes: int = 3,
) -> QuestionAnalysis:
    """Themes, assignments and stance for one open question.

    With a `framework` (the analysts' themes, `framework.load_framework`), every response
    gets 0..max_themes themes with confidence and evidence sentence (`multitheme`), learning
    from the analyst's `labels` (response id -> theme keys) when given; `assignments` then
    hold each response's first theme, for code that shows one. Without one, themes are
    discovered (or the given `themes` used) and each response gets one (as before).

    Stance uses the response's `closed_answers` (e.g. its agree/disagree answer), the
    framework themes' positions, language cues, and `stance_labels` when given.
    backend "auto" uses sentence embeddings when the optional offline package is installed
    and TF-IDF otherwise (`vectors.fit_vectors`).
    """
    if framework is not None:
        return _analyse_framework(
            ids,
            texts,
            list(framework),
            labels,
            closed_answers,
            stance_labels,
            max_themes,
            seed,
            backend,
        )
    corpus = corpus or build_corpus(ids, texts, backend, seed)
    found = list(themes) if themes is not None else discover_themes(corpus, k, seed)
    assignments = assign_themes(corpus, found, corrections)
    stances = read_stances(corpus.ids, corpus.texts, closed_answers, None, stance_labels)
    return QuestionAnalysis(corpus, found, assignments, stances)


def _analyse_framework(
    ids: Sequence[str],
    texts: Sequence[str],
    framework: list[FrameworkTheme],
    labels: Mapping[str, Sequence[str] | set[str]] | None,
    closed_answers: Mapping[str, str] | None,
    stance_labels: Mapping[str, str] | None,
    max_themes: int,
    seed: int,
    backend: Backend = "auto",
) -> QuestionAnalysis:
    from stpkit.consultation.vectors import _sentence_encoder, embeddings_available

    use_embeddings = backend == "embeddings" or (backend == "auto" and embeddings_available())
    encoder = _sentence_encoder() if use_embeddings else None
    result = assign_framework(ids, texts, framework, labels, max_themes, encoder=encoder, seed=seed)
    position = {t.key: t.position for t in framework}
    sides = {
        rid: [(position[h.theme], h.confidence, h.sentence) for h in hits]
        for rid, hits in result.hits.items()
    }
    stances = read_stances(ids, texts, closed_answers, sides, stance_labels)
    labelled = set(labels or {})
    assignments = []
    for rid in ids:
        hits = result.hits[rid]
        if not hits:
            assignments.append(Assignment(rid, None, 0.0))
            continue
        runner = hits[1].theme if len(hits) > 1 else None
        assignments.append(
            Assignment(rid, hits[0].theme, hits[0].confidence, rid in labelled, runner)
        )
    themes = [Theme(t.key, t.name, [], []) for t in framework]
    corpus = build_corpus(ids, texts, "tfidf", seed)  # for quotes and reports
    corpus.vectors.backend = "embeddings" if encoder is not None else "tfidf"
    margins = dict(zip(result.ids, (float(m) for m in result.margins()), strict=True))
    return QuestionAnalysis(corpus, themes, assignments, stances, result.hits, framework, margins)


def confidence_summary(analysis: QuestionAnalysis) -> dict[str, float]:
    values = np.array([a.confidence for a in analysis.assignments if a.theme])
    if len(values) == 0:
        return {"median": 0.0, "below_0_6": 0.0}
    return {"median": float(np.median(values)), "below_0_6": float((values < 0.6).mean())}
