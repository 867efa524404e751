"""Several themes per response, each with a confidence and the sentence that carries it.

Method (offline, scikit-learn only; documented in docs/consultation.md):

1. Responses are split into sentences (and clauses at ';'). Sentences and the themes'
   texts (name, description, examples) are put in one vector space: TF-IDF of lightly
   stemmed words and word pairs, joined with a latent semantic (SVD) view of the same
   matrix that lets "adverts" meet "advertising" and "sponsorship" meet "sports clubs".
   When the optional `embeddings` extra is installed and chosen, sentence embeddings
   replace the SVD view.
2. Each sentence is scored against each theme (cosine similarity). A theme's description
   is short, so its vector is refined by pseudo-relevance feedback: the sentences that
   match a theme most clearly are added to it, twice (Rocchio). Nothing is tuned per file.
3. A response's score for a theme is its best sentence's score; that sentence is the
   evidence. Themes are kept relative to the response: every theme scoring at least
   RELATIVE x the response's best theme, and every theme that is the best match of one of
   its sentences scoring at least SENTENCE_RELATIVE x it (a sentence makes its own point),
   above an absolute floor, up to MAX_THEMES. So a response carries 0, 1 or several themes.
4. With analyst labels (response -> set of theme keys), the labelled responses' evidence
   sentences join the theme vectors, a classifier per theme is trained on the labelled
   responses' words (the themes' own texts as extra positive examples), and one logistic
   model over [similarity, relative similarity, rank, classifier probability] learns where
   the threshold lies. Confidence is then that model's probability.

Longer than 400 lines on purpose: scoring, feedback, thresholding and the labelled
classifier share one vector space and are easier to check read together.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.framework import FrameworkTheme

MAX_THEMES = 3
RELATIVE = 0.7  # keep themes scoring at least this share of the response's best theme
MIN_SCORE = 0.12  # below this a sentence is not about the theme at all ...
SENTENCE_RELATIVE = 0.5  # a sentence's own best theme is kept down to this share
FLOOR_SHARE = 1 / 3  # ... nor below a third of the typical response's best score
FEEDBACK_ROUNDS = 2
FEEDBACK_SHARE = 0.02  # of all sentences: the clearest matches fed back to each theme
FEEDBACK_WEIGHT = 1.0  # weight of the fed-back centroid against the theme's own text
SVD_DIMENSIONS = 150
SMALL = 200  # fewer sentences than this: words only, no feedback (too few to learn from)
LSA_WEIGHT = 0.5
_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")
_SUFFIXES = (
    "ations",
    "ation",
    "ated",
    "ates",
    "ments",
    "ment",
    "ings",
    "ing",
    "ness",
    "ities",
    "ity",
    "ies",
    "ised",
    "ized",
    "ise",
    "ize",
    "ers",
    "er",
    "ed",
    "es",
    "s",
    "ly",
    "e",
)
_STEMS: dict[str, str] = {}
_STOP = frozenset(
    ENGLISH_STOP_WORDS | {"think", "would", "just", "really", "could", "might", "may"}
)


@dataclass(frozen=True)
class ThemeHit:
    theme: str  # theme key
    confidence: float  # 0..1
    sentence: str  # the sentence of the response that carries the theme
    score: float = 0.0  # raw similarity, for ranking and review


def split_sentences(text: str) -> list[str]:
    """Sentences and ';' clauses with at least two words; the whole text if none."""
    text = text.strip()
    if not text:
        return []
    parts = [p.strip() for p in _SPLIT.split(text) if len(p.split()) >= 2]
    return parts or [text]


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet 'advert'/'adverts', 'regulation'/'regulated'."""
    found = _STEMS.get(word)
    if found is None:
        found = word
        if re.search(r"(?:ss|[xz]|ch|sh|[^s]s)es$", word):  # buses, taxes, churches
            found = word[:-2]
            _STEMS[word] = found
            return found
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                found = word[: -len(suffix)]
                break
        _STEMS[word] = found
    return found


def analyse_words(text: str) -> list[str]:
    words = [stem(w) for w in re.findall(r"[a-z][a-z']+", text.lower()) if w not in _STOP]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class SentenceSpace:
    """TF-IDF + SVD (or embeddings) space fitted on a corpus's sentences."""

    def __init__(self, texts: Sequence[str], encoder: Any = None, seed: int = 0) -> None:
        self.tfidf = TfidfVectorizer(
            analyzer=analyse_words,
            sublinear_tf=True,
            min_df=2 if len(texts) >= 100 else 1,
            max_df=0.4 if len(texts) >= 100 else 1.0,
        )
        try:
            matrix = self.tfidf.fit_transform(texts)
        except ValueError as exc:
            raise ConsultationError(f"The texts have no words to find themes in ({exc})") from exc
        self.encoder = encoder
        self.svd: TruncatedSVD | None = None
        if encoder is None and len(texts) >= SMALL:
            dims = max(2, min(SVD_DIMENSIONS, matrix.shape[1] - 1, matrix.shape[0] - 1))
            self.svd = TruncatedSVD(n_components=dims, random_state=seed).fit(matrix)

    def transform(self, texts: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        words = normalize(self.tfidf.transform(texts))
        if self.encoder is not None:
            dense = np.asarray(self.encoder.encode(list(texts), normalize_embeddings=True))
        elif self.svd is not None:
            dense = normalize(self.svd.transform(words))
        else:  # a small corpus: the word view alone
            dense = np.zeros((words.shape[0], 1))
        return words, dense

    @property
    def dense_weight(self) -> float:
        return LSA_WEIGHT if (self.encoder is not None or self.svd is not None) else 0.0


def _similarity(
    words: sparse.csr_matrix,
    dense: np.ndarray,
    p_words: np.ndarray,
    p_dense: np.ndarray,
    weight: float = LSA_WEIGHT,
) -> np.ndarray:
    return (1 - weight) * np.asarray(words @ p_words.T) + weight * (dense @ p_dense.T)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


@dataclass
class MultiThemeResult:
    """Per response (in input order) its hits, best first; and every response's scores."""

    ids: list[str]
    keys: list[str]
    hits: dict[str, list[ThemeHit]]
    scores: np.ndarray  # (responses, themes) best-sentence similarity
    probabilities: np.ndarray | None = None  # (responses, themes) when trained on labels

    def counts(self) -> dict[str, int]:
        """Responses per theme: a response with several themes counts once in each."""
        out = dict.fromkeys(self.keys, 0)
        for hits in self.hits.values():
            for key in {h.theme for h in hits}:
                out[key] += 1
        return out

    def margins(self) -> np.ndarray:
        """Per response, how near its closest theme decision is to the threshold (0 = on it);
        responses with nothing to match (blank) get infinity."""
        if self.probabilities is not None:
            margin = np.abs(self.probabilities - 0.5).min(axis=1)
        else:
            top = self.scores.max(axis=1, keepdims=True)
            rel = self.scores / np.where(top <= 0, 1.0, top)
            margin = np.abs(rel - RELATIVE).min(axis=1)
        return np.where(self.scores.max(axis=1) > 0, margin, np.inf)

    def uncertain(self, n: int = 20) -> list[str]:
        """Responses whose assignment is least certain, most uncertain first (review these)."""
        margin = self.margins()
        order = np.argsort(margin, kind="stable")
        return [self.ids[i] for i in order[:n] if np.isfinite(margin[i])]


def assign_framework(
    ids: Sequence[str],
    texts: Sequence[str],
    themes: Sequence[FrameworkTheme],
    labels: Mapping[str, set[str] | Sequence[str]] | None = None,
    max_themes: int = MAX_THEMES,
    encoder: Any = None,
    seed: int = 0,
) -> MultiThemeResult:
    """Give every response 0..max_themes of the framework's themes with evidence sentences.

    `labels` are an analyst's theme keys for some responses; those responses keep their
    labels (confidence 1) and the rest are assigned by a model trained on them.
    """
    if len(ids) != len(texts):
        raise ValueError("ids and texts must be the same length")
    if not themes:
        raise ConsultationError("The framework has no themes to assign")
    keys = [t.key for t in themes]
    given: dict[str, set[str]] = {str(k): set(v) for k, v in (labels or {}).items()}
    unknown = sorted({k for v in given.values() for k in v} - set(keys))
    if unknown:
        raise ConsultationError(f"The labels name themes not in the framework: {unknown}")
    sentences: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for s in split_sentences(text or ""):
            sentences.append(s)
            owner.append(i)
    n, t = len(ids), len(themes)
    if not sentences:
        return MultiThemeResult(list(ids), keys, {rid: [] for rid in ids}, np.zeros((n, t)))
    owner_arr = np.array(owner)
    theme_texts = [" ".join([th.text, *th.examples]) for th in themes]
    space = SentenceSpace([*sentences, *theme_texts], encoder, seed)
    s_words, s_dense = space.transform(sentences)
    t_words, t_dense = space.transform(theme_texts)
    base_words = np.asarray(t_words.todense())
    base_dense = np.asarray(t_dense)
    p_words, p_dense = base_words.copy(), base_dense.copy()
    index = {rid: i for i, rid in enumerate(ids)}
    labelled_rows = [index[r] for r in given if r in index]
    # evidence sentences of labelled responses join their themes' vectors
    extra_words = [np.zeros(base_words.shape[1]) for _ in range(t)]
    extra_dense = [np.zeros(base_dense.shape[1]) for _ in range(t)]
    if labelled_rows:
        sim = _similarity(s_words, s_dense, p_words, p_dense, space.dense_weight)
        for rid, themes_of in given.items():
            if rid not in index:
                continue
            rows = np.flatnonzero(owner_arr == index[rid])
            for key in themes_of:
                j = keys.index(key)
                if len(rows):
                    best = rows[int(np.argmax(sim[rows, j]))]
                    extra_words[j] += np.asarray(s_words[best].todense()).ravel()
                    extra_dense[j] += s_dense[best]
    feedback = max(3, int(FEEDBACK_SHARE * len(sentences)))
    floor = MIN_SCORE
    rounds = FEEDBACK_ROUNDS if len(sentences) >= SMALL else 0
    for _ in range(rounds + 1):
        sim = _similarity(s_words, s_dense, p_words, p_dense, space.dense_weight)
        if _ == rounds:
            break
        best_theme = sim.argmax(axis=1)
        floor = _floor(sim, owner_arr)
        new_words, new_dense = base_words.copy(), base_dense.copy()
        for j in range(t):
            mine = np.flatnonzero(best_theme == j)
            top = mine[np.argsort(-sim[mine, j], kind="stable")[:feedback]]
            top = top[sim[top, j] >= floor]
            if len(top):
                new_words[j] = (
                    _unit(base_words[j : j + 1])[0]
                    + FEEDBACK_WEIGHT * _unit(np.asarray(s_words[top].mean(axis=0)))[0]
                )
                new_dense[j] = (
                    base_dense[j]
                    + FEEDBACK_WEIGHT * _unit(s_dense[top].mean(axis=0, keepdims=True))[0]
                )
            new_words[j] += extra_words[j] / max(1.0, float(np.linalg.norm(extra_words[j]))) * 2
            new_dense[j] += extra_dense[j] / max(1.0, float(np.linalg.norm(extra_dense[j]))) * 2
        p_words, p_dense = _unit(new_words), _unit(new_dense)
    # best sentence per response and theme
    scores = np.zeros((n, t))
    evidence = np.full((n, t), -1, dtype=int)
    order = np.lexsort((-sim.max(axis=1), owner_arr))
    for row in order[::-1]:
        i = owner_arr[row]
        better = sim[row] > scores[i]
        scores[i, better] = sim[row, better]
        evidence[i, better] = row
    floor = _floor(sim, owner_arr)
    # a theme that is the best match of one of the response's sentences is that
    # sentence's point: kept at a lower share of the response's best theme
    carried: dict[int, set[int]] = {}
    sentence_best = sim.argmax(axis=1)
    for row, i in enumerate(owner_arr):
        j = int(sentence_best[row])
        if sim[row, j] >= max(floor, SENTENCE_RELATIVE * scores[i].max()):
            carried.setdefault(int(i), set()).add(j)
    probabilities = None
    if len(labelled_rows) >= 10:
        probabilities = _learned(space, texts, themes, keys, scores, given, index)
    hits: dict[str, list[ThemeHit]] = {}
    for i, rid in enumerate(ids):
        if rid in given:
            chosen = [keys.index(k) for k in given[rid]]
            conf = dict.fromkeys(chosen, 1.0)
        elif scores[i].max() <= 0:  # blank, or no word in common with any theme
            chosen, conf = [], {}
        elif probabilities is not None:
            ranked = np.argsort(-probabilities[i], kind="stable")[:max_themes]
            chosen = [int(j) for j in ranked if probabilities[i, j] >= 0.5]
            if not chosen and scores[i].max() >= floor:
                chosen = [int(ranked[0])]
            conf = {j: float(probabilities[i, j]) for j in chosen}
        else:
            chosen = _relative(scores[i], max_themes, floor, carried.get(i, set()))
            best = float(scores[i].max()) or 1.0
            conf = {j: float(min(1.0, scores[i, j] / best) * min(1.0, best / 0.4)) for j in chosen}
        chosen.sort(key=lambda j: -scores[i, j])
        hits[rid] = [
            ThemeHit(
                keys[j],
                round(conf[j], 4),
                sentences[evidence[i, j]] if evidence[i, j] >= 0 else "",
                float(scores[i, j]),
            )
            for j in chosen
        ]
    return MultiThemeResult(list(ids), keys, hits, scores, probabilities)


def _floor(sim: np.ndarray, owner: np.ndarray) -> float:
    """The absolute floor: MIN_SCORE, lowered where theme texts and responses share few
    words (a third of the median response's best score)."""
    best = np.zeros(int(owner.max()) + 1)
    np.maximum.at(best, owner, sim.max(axis=1))
    return float(min(MIN_SCORE, FLOOR_SHARE * np.median(best)))


def _relative(
    row: np.ndarray, max_themes: int, floor: float = MIN_SCORE, carried: set[int] | None = None
) -> list[int]:
    top = float(row.max())
    if top < floor:
        return []
    carried = carried or set()
    ranked = np.argsort(-row, kind="stable")
    kept = [int(j) for j in ranked if row[j] >= max(floor, RELATIVE * top) or j in carried]
    return kept[:max_themes]


def _features(scores: np.ndarray, clf: np.ndarray) -> np.ndarray:
    top = scores.max(axis=1, keepdims=True)
    rel = scores / np.where(top <= 0, 1.0, top)
    rank = np.argsort(np.argsort(-scores, axis=1, kind="stable"), axis=1)
    return np.stack(
        [scores.ravel(), rel.ravel(), (rank == 0).ravel(), (rank == 1).ravel(), clf.ravel()],
        axis=1,
    ).astype(float)


def _learned(
    space: SentenceSpace,
    texts: Sequence[str],
    themes: Sequence[FrameworkTheme],
    keys: list[str],
    scores: np.ndarray,
    labels: Mapping[str, set[str]],
    index: Mapping[str, int],
) -> np.ndarray:
    """Probability per response and theme from a model trained on the analyst's labels."""
    rows = [index[r] for r in labels if r in index]
    words, _ = space.transform(list(texts))
    theme_words, _ = space.transform([th.text for th in themes])
    y = np.zeros((len(rows), len(keys)), dtype=int)
    for a, rid in enumerate(r for r in labels if r in index):
        for key in labels[rid]:
            y[a, keys.index(key)] = 1
    clf = np.zeros(scores.shape)
    clf_train = np.zeros((len(rows), len(keys)))
    folds = np.arange(len(rows)) % 5
    for j in range(len(keys)):
        x_extra = theme_words[j]
        for fold in range(-1, 5):
            train = folds != fold if fold >= 0 else np.ones(len(rows), dtype=bool)
            ys = np.concatenate([y[train, j], [1]])
            if ys.min() == ys.max():
                continue
            model = LogisticRegression(
                C=4.0, class_weight="balanced", solver="liblinear", max_iter=500
            )
            model.fit(sparse.vstack([words[np.array(rows)[train]], x_extra]), ys)
            if fold >= 0:
                held = np.flatnonzero(folds == fold)
                clf_train[held, j] = model.predict_proba(words[np.array(rows)[held]])[:, 1]
            else:
                clf[:, j] = model.predict_proba(words)[:, 1]
    x_train = _features(scores[rows], clf_train)
    target = y.ravel()
    if target.min() == target.max():
        return np.where(_features(scores, clf)[:, 1] >= RELATIVE, 0.9, 0.1).reshape(scores.shape)
    pooled = LogisticRegression(C=1.0, max_iter=1000).fit(x_train, target)
    return pooled.predict_proba(_features(scores, clf))[:, 1].reshape(scores.shape)
