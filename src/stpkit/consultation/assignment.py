"""Assign every response to a theme with a confidence, keeping analysts' corrections.

A response's score for a theme is its best cosine similarity to any of the theme's
prototypes (the centre of each group of exemplars, the keywords) or to any response an
analyst has put in that theme. Confidence is the softmax of the scores, so a response
that sits between two themes gets a low confidence and is worth reviewing. Corrected
responses keep their analyst's theme with confidence 1, and pull similar texts with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from stpkit.consultation.errors import ThemeError
from stpkit.consultation.themes import Corpus, Theme

TEMPERATURE = 0.05
MIN_SIMILARITY = 0.05  # below this nothing is similar enough: left without a theme
MAX_CORRECTIONS_PER_THEME = 500


@dataclass(frozen=True)
class Assignment:
    response_id: str
    theme: str | None  # theme key, None for blank or unmatched texts
    confidence: float  # 0..1
    corrected: bool = False
    runner_up: str | None = None


def _keyword_rows(corpus: Corpus, keywords: Sequence[str]) -> np.ndarray:
    """Which responses use at least one of the keywords (as a word of their text)."""
    wanted = {w for k in keywords for w in k.lower().split()}
    columns = [i for i, term in enumerate(corpus.vectors.terms) if str(term) in wanted]
    if not columns:
        return np.zeros(len(corpus.ids), dtype=bool)
    return np.asarray(corpus.vectors.tfidf[:, columns].sum(axis=1)).ravel() > 0


def _prototype_vectors(
    corpus: Corpus, themes: Sequence[Theme], corrections: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    """Prototype vectors, their themes, and for keyword prototypes the rows they may match
    (a theme defined by keywords matches only responses that use one of them)."""
    vectors: list[np.ndarray] = []
    owners: list[int] = []
    masks: dict[int, np.ndarray] = {}
    for t_index, theme in enumerate(themes):
        for group in theme.prototypes:
            rows = corpus.rows(group)
            if rows:
                centre = corpus.vectors.vectors[rows].mean(axis=0)
                vectors.append(centre / (np.linalg.norm(centre) or 1.0))
                owners.append(t_index)
        if theme.keywords:
            masks[len(vectors)] = _keyword_rows(corpus, theme.keywords)
            vectors.append(corpus.vectors.embed_extra([" ".join(theme.keywords)])[0])
            owners.append(t_index)
        corrected = [rid for rid, key in corrections.items() if key == theme.key]
        for row in corpus.rows(corrected[:MAX_CORRECTIONS_PER_THEME]):
            vectors.append(corpus.vectors.vectors[row])
            owners.append(t_index)
    if not vectors:
        raise ThemeError("The themes have no prototypes, keywords or corrections to match")
    return np.vstack(vectors), np.array(owners), masks


def assign_themes(
    corpus: Corpus,
    themes: Sequence[Theme],
    corrections: Mapping[str, str] | None = None,
    temperature: float = TEMPERATURE,
) -> list[Assignment]:
    """One assignment per response in the corpus, in corpus order."""
    corrections = dict(corrections or {})
    keys = [t.key for t in themes]
    unknown = {k for k in corrections.values() if k not in keys}
    if unknown:
        raise ThemeError(f"Corrections name themes that do not exist: {sorted(unknown)}")
    if not themes:
        return [Assignment(rid, None, 0.0) for rid in corpus.ids]
    prototypes, owners, masks = _prototype_vectors(corpus, themes, corrections)
    similarity = corpus.vectors.vectors @ prototypes.T  # (n, prototypes)
    for column, mask in masks.items():
        similarity[~mask, column] = -1.0
    scores = np.full((len(corpus.ids), len(themes)), -1.0)
    for t_index in range(len(themes)):
        columns = owners == t_index
        if columns.any():
            scores[:, t_index] = similarity[:, columns].max(axis=1)
    exp = np.exp((scores - scores.max(axis=1, keepdims=True)) / temperature)
    probabilities = exp / exp.sum(axis=1, keepdims=True)
    order = np.argsort(-scores, axis=1, kind="stable")
    answered = corpus.answered
    out: list[Assignment] = []
    for i, rid in enumerate(corpus.ids):
        if rid in corrections:
            out.append(Assignment(rid, corrections[rid], 1.0, corrected=True))
            continue
        best = int(order[i, 0])
        if not answered[i] or scores[i, best] < MIN_SIMILARITY:
            out.append(Assignment(rid, None, 0.0))
            continue
        runner = keys[int(order[i, 1])] if len(themes) > 1 else None
        out.append(Assignment(rid, keys[best], float(probabilities[i, best]), False, runner))
    return out
