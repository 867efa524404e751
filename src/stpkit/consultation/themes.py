"""Open-text themes: discover them, propose labels and quotes, and let analysts edit them.

A theme is defined by prototypes: groups of exemplar responses (plus optional keywords).
Discovery makes one prototype per cluster; merging two themes keeps both prototypes, so a
merged theme still recognises both kinds of response; splitting re-clusters a theme's
members. Definitions refer to response IDs, so they survive a re-import and can be stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from stpkit.consultation.errors import ThemeError
from stpkit.consultation.vectors import Backend, TextVectors, fit_vectors

EXEMPLARS = 25  # responses kept to define each discovered theme
K_CANDIDATES = (8, 12, 16, 20, 24)


@dataclass
class Theme:
    key: str
    label: str
    keywords: list[str] = field(default_factory=list)
    prototypes: list[list[str]] = field(default_factory=list)  # groups of response IDs

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "keywords": list(self.keywords),
            "prototypes": [list(p) for p in self.prototypes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Theme:
        return cls(
            key=str(data["key"]),
            label=str(data["label"]),
            keywords=[str(k) for k in data.get("keywords", [])],
            prototypes=[[str(i) for i in p] for p in data.get("prototypes", [])],
        )


@dataclass
class Corpus:
    """The texts of one open question with their vectors (fitted once, reused)."""

    ids: list[str]
    texts: list[str]
    vectors: TextVectors

    def __post_init__(self) -> None:
        self.index = {rid: i for i, rid in enumerate(self.ids)}

    def rows(self, ids: Sequence[str]) -> list[int]:
        return [self.index[i] for i in ids if i in self.index]

    @property
    def answered(self) -> np.ndarray:
        return np.array([bool(t.strip()) for t in self.texts])

    @property
    def proper_nouns(self) -> set[str]:
        """Words usually written with a capital inside a sentence (places, hospitals).

        They make poor theme names ("Qeqm, william"), so labels leave them out.
        """
        if not hasattr(self, "_proper"):
            capital: dict[str, int] = {}
            seen: dict[str, int] = {}
            for text in self.texts:
                if text.isupper() or text.islower():
                    continue
                for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Za-z][A-Za-z']+)", text):
                    word = match.group(1)
                    seen[word.lower()] = seen.get(word.lower(), 0) + 1
                    if word[0].isupper():
                        capital[word.lower()] = capital.get(word.lower(), 0) + 1
            self._proper = {w for w, n in seen.items() if n >= 3 and capital.get(w, 0) / n > 0.6}
        return self._proper


def build_corpus(
    ids: Sequence[str], texts: Sequence[str], backend: Backend = "auto", seed: int = 0
) -> Corpus:
    """The texts with their vectors: embeddings if the optional package is installed
    (backend "auto"), TF-IDF otherwise."""
    if len(ids) != len(texts):
        raise ValueError("ids and texts must be the same length")
    if len(set(ids)) != len(ids):
        raise ValueError("response IDs must be unique")
    return Corpus(list(ids), list(texts), fit_vectors(list(texts), backend, seed))


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", text.lower())).strip()


def _unique_answered(corpus: Corpus, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows with distinct normalised texts and how many responses each stands for."""
    firsts: dict[str, int] = {}
    weights: dict[int, int] = {}
    for r in rows:
        key = normalised(corpus.texts[r])
        if not key:
            continue
        first = firsts.setdefault(key, int(r))
        weights[first] = weights.get(first, 0) + 1
    unique = np.array(sorted(weights), dtype=int)
    return unique, np.array([weights[u] for u in unique], dtype=float)


def choose_k(vectors: np.ndarray, weights: np.ndarray, seed: int = 0) -> int:
    """The number of clusters with the best silhouette on (a sample of) the texts."""
    n = len(vectors)
    candidates = [k for k in K_CANDIDATES if k < n]
    if not candidates:
        return max(1, min(2, n))
    rng = np.random.default_rng(seed)
    sample = rng.choice(n, size=min(n, 2000), replace=False)
    best, best_score = candidates[0], -1.0
    for k in candidates:
        model = KMeans(n_clusters=k, n_init=3, random_state=seed)
        labels = model.fit_predict(vectors[sample], sample_weight=weights[sample])
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(vectors[sample], labels, metric="cosine"))
        if score > best_score:
            best, best_score = k, score
    return best


def cluster_rows(
    corpus: Corpus, rows: np.ndarray, k: int | None, seed: int = 0
) -> list[np.ndarray]:
    """Partition the answered rows into k groups (k chosen by silhouette when None)."""
    unique, weights = _unique_answered(corpus, rows)
    if len(unique) == 0:
        return []
    vectors = corpus.vectors.vectors[unique]
    if k is None:
        k = choose_k(vectors, weights, seed)
    k = max(1, min(k, len(unique)))
    model = KMeans(n_clusters=k, n_init=4, random_state=seed)
    labels = model.fit_predict(vectors, sample_weight=weights)
    # every answered row goes with its distinct text's cluster
    by_text = {normalised(corpus.texts[u]): lab for u, lab in zip(unique, labels, strict=True)}
    groups: list[list[int]] = [[] for _ in range(k)]
    for r in rows:
        key = normalised(corpus.texts[r])
        if key in by_text:
            groups[by_text[key]].append(int(r))
    return [np.array(g, dtype=int) for g in groups if g]


def nearest_to_centre(corpus: Corpus, rows: np.ndarray, n: int) -> list[int]:
    """Up to n rows with distinct texts, nearest the centre of the group first."""
    if len(rows) == 0:
        return []
    vectors = corpus.vectors.vectors[rows]
    centre = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centre), kind="stable")
    chosen: list[int] = []
    seen: set[str] = set()
    for i in order:
        key = normalised(corpus.texts[rows[i]])
        if key and key not in seen:
            seen.add(key)
            chosen.append(int(rows[i]))
            if len(chosen) == n:
                break
    return chosen


def top_terms(corpus: Corpus, rows: np.ndarray, n: int = 12) -> list[str]:
    """Terms most over-represented in these rows compared with all texts."""
    tfidf = corpus.vectors.tfidf
    if len(rows) == 0 or tfidf.shape[1] == 0:
        return []
    inside = np.asarray(tfidf[rows].mean(axis=0)).ravel()
    overall = np.asarray(tfidf.mean(axis=0)).ravel()
    score = inside - overall
    terms: list[str] = []
    for i in np.argsort(-score, kind="stable"):
        term = str(corpus.vectors.terms[i])
        if score[i] <= 0:
            break
        if any(term in t.split() or t in term.split() for t in terms):
            continue  # "bus" after "bus service" adds nothing
        terms.append(term)
        if len(terms) == n:
            break
    return terms


def propose_label(terms: Sequence[str], proper: set[str] | None = None) -> str:
    """The first three terms that are not names of places or hospitals."""
    proper = proper or set()
    plain = [t for t in terms if not any(w in proper for w in t.split())] or list(terms)
    if not plain:
        return "Unlabelled theme"
    return ", ".join(plain[:3]).capitalize()


def representative_quotes(corpus: Corpus, rows: Sequence[int], n: int = 3) -> list[str]:
    """Quotes that read like the theme: near its centre, distinct, not too short."""
    substantial = [r for r in rows if len(corpus.texts[r].split()) >= 5] or list(rows)
    return [corpus.texts[r] for r in nearest_to_centre(corpus, np.asarray(substantial), n)]


def discover_themes(corpus: Corpus, k: int | None = None, seed: int = 0) -> list[Theme]:
    """Cluster the answered texts and describe each cluster as a proposed theme."""
    rows = np.flatnonzero(corpus.answered)
    groups = cluster_rows(corpus, rows, k, seed)
    groups.sort(key=len, reverse=True)
    labels = readable_labels(corpus, groups)
    themes = []
    for i, (group, label) in enumerate(zip(groups, labels, strict=True), start=1):
        terms = top_terms(corpus, group)
        exemplars = nearest_to_centre(corpus, group, EXEMPLARS)
        themes.append(
            Theme(
                key=f"t{i}",
                label=label,
                keywords=terms,
                prototypes=[[corpus.ids[r] for r in exemplars]],
            )
        )
    return themes


def readable_labels(
    corpus: Corpus, groups: Sequence[np.ndarray], taken: Sequence[str] = ()
) -> list[str]:
    """A distinct phrase per group, as people wrote it (`discovery.readable_names`),
    leaving out place and hospital names."""
    from stpkit.consultation.discovery import readable_names

    answered = [t for t in corpus.texts if t.strip()]
    return readable_names(
        [[corpus.texts[r] for r in g] for g in groups], answered, taken, corpus.proper_nouns
    )


# --- analysts' edits -------------------------------------------------------------------


def theme_named(themes: Sequence[Theme], key: str) -> Theme:
    for t in themes:
        if t.key == key:
            return t
    raise ThemeError(f"No theme {key!r}; the themes are {[t.key for t in themes]}")


def next_key(themes: Sequence[Theme]) -> str:
    numbers = [int(t.key[1:]) for t in themes if re.fullmatch(r"t\d+", t.key)]
    return f"t{max(numbers, default=0) + 1}"


def rename_theme(themes: list[Theme], key: str, label: str) -> list[Theme]:
    if not label.strip():
        raise ThemeError("A theme needs a label")
    theme_named(themes, key).label = label.strip()
    return themes


def merge_themes(themes: list[Theme], keys: Sequence[str], label: str = "") -> list[Theme]:
    """Merge themes into the first one named; it keeps every prototype and keyword."""
    if len(set(keys)) < 2:
        raise ThemeError("Choose at least two different themes to merge")
    parts = [theme_named(themes, k) for k in keys]
    target = parts[0]
    for other in parts[1:]:
        target.prototypes.extend(other.prototypes)
        target.keywords.extend(k for k in other.keywords if k not in target.keywords)
    if label.strip():
        target.label = label.strip()
    drop = set(keys[1:])
    return [t for t in themes if t.key not in drop]


def split_theme(
    themes: list[Theme],
    key: str,
    member_ids: Sequence[str],
    corpus: Corpus,
    parts: int = 2,
    seed: int = 0,
) -> list[Theme]:
    """Re-cluster a theme's current members into `parts` themes with proposed labels."""
    theme = theme_named(themes, key)
    rows = np.array(corpus.rows(member_ids), dtype=int)
    groups = cluster_rows(corpus, rows, parts, seed) if len(rows) else []
    if len(groups) < 2:
        raise ThemeError(f"{theme.label!r} has too few distinct responses to split")
    new: list[Theme] = []
    ordered = sorted(groups, key=len, reverse=True)
    labels = readable_labels(corpus, ordered, [t.label for t in themes])
    for i, (group, label) in enumerate(zip(ordered, labels, strict=True)):
        terms = top_terms(corpus, group)
        exemplars = [corpus.ids[r] for r in nearest_to_centre(corpus, group, EXEMPLARS)]
        if i == 0:
            theme.prototypes = [exemplars]
            theme.keywords = terms
            theme.label = f"{theme.label} ({label.lower()})"
            continue
        new.append(Theme(next_key([*themes, *new]), label, terms, [exemplars]))
    position = themes.index(theme) + 1
    return themes[:position] + new + themes[position:]


def add_theme(
    themes: list[Theme], label: str, keywords: Sequence[str] = (), example_ids: Sequence[str] = ()
) -> list[Theme]:
    """A theme the analyst names, defined by keywords and/or example responses."""
    keywords = [k.strip().lower() for k in keywords if k.strip()]
    if not label.strip():
        raise ThemeError("A theme needs a label")
    if not keywords and not example_ids:
        raise ThemeError("Give some keywords or example responses so the theme can be found")
    theme = Theme(
        next_key(themes), label.strip(), keywords, [list(example_ids)] if example_ids else []
    )
    return [*themes, theme]


def delete_theme(themes: list[Theme], key: str) -> list[Theme]:
    theme_named(themes, key)
    return [t for t in themes if t.key != key]
