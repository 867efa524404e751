"""Propose a theme framework from the responses themselves, for an analyst to edit.

Responses are split into sentences (a response often makes two points), the sentences are
clustered (k-means on the sentence space of `multitheme`; k by silhouette unless given),
and each cluster becomes a proposed theme: a readable name, the sentence nearest the
cluster's centre as its description and a few more as examples. The proposal is a
`FrameworkTheme` list, so it goes through the same assignment as an analyst's framework.

Names are phrases people write, not keyword lists: the two- to four-word phrase used most
distinctively in the cluster's sentences (words run together in the text, not starting or
ending with a filler word), e.g. "Online gambling platforms". No two themes get the same
name: a theme whose best phrase is taken gets its next best.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from stpkit.consultation.framework import FrameworkTheme
from stpkit.consultation.multitheme import SentenceSpace, split_sentences

K_CANDIDATES = (8, 12, 16, 20)
FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "my",
        "me",
        "he",
        "she",
        "his",
        "her",
        "not",
        "no",
        "so",
        "if",
        "than",
        "then",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "how",
        "why",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "just",
        "also",
        "very",
        "really",
        "more",
        "most",
        "much",
        "many",
        "some",
        "any",
        "all",
        "such",
        "own",
        "same",
        "other",
        "into",
        "over",
        "under",
        "about",
        "only",
        "even",
        "still",
        "yet",
        "however",
        "while",
        "whilst",
        "although",
        "though",
        "because",
        "since",
        "until",
        "like",
        "well",
    ]
)


def _is_filler(word: str) -> bool:
    return word in FILLER or "'" in word  # "it's", "i've", "don't" start no name


def _phrases(sentence: str, surface: dict[str, Counter[str]] | None = None) -> set[str]:
    raw = re.findall(r"[A-Za-z][A-Za-z'-]*", sentence.replace("\u2019", "'"))
    words = [w.lower() for w in raw]
    out: set[str] = set()
    for n in (2, 3, 4):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if _is_filler(gram[0]) or _is_filler(gram[-1]):
                continue
            if sum(not _is_filler(w) for w in gram) < 2:
                continue
            key = " ".join(gram)
            out.add(key)
            if surface is not None:
                surface.setdefault(key, Counter())[" ".join(raw[i : i + n])] += 1
    return out


def readable_names(
    groups: Sequence[Sequence[str]],
    everything: Sequence[str],
    taken: Iterable[str] = (),
    avoid: Iterable[str] = (),
) -> list[str]:
    """A distinct readable name per group of texts: its most distinctive phrase.

    `taken` are names already in use (never given again); `avoid` words (place names)
    are left out of names.
    """
    overall: Counter[str] = Counter()
    for text in everything:
        overall.update(_phrases(text))
    total = max(1, len(everything))
    avoid = {w.lower() for w in avoid}
    used = {t.lower() for t in taken}
    names = []
    for group in groups:
        inside: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = {}
        for text in group:
            inside.update(_phrases(text, surface))
        size = max(1, len(group))
        ranked = []
        for phrase, count in inside.items():
            if count < 2 or any(w in avoid for w in phrase.split()):
                continue
            share_in = count / size
            share_out = (max(0, overall[phrase] - count) + 1) / (max(0, total - size) + 1)
            # common inside, rarer outside; longer phrases read better when as frequent
            score = share_in * math.log(share_in / share_out) * (1 + 0.15 * len(phrase.split()))
            ranked.append((score, phrase))
        ranked.sort(key=lambda x: (-x[0], x[1]))
        name = next((p for _, p in ranked if p not in used), "")
        if not name:
            base = "Other comments"
            name, n = base.lower(), 2
            while name in used:
                name, n = f"{base.lower()} ({n})", n + 1
        used.add(name)
        names.append(_written(name, surface))
    return names


def _written(phrase: str, surface: dict[str, Counter[str]]) -> str:
    """The phrase as people wrote it inside sentences (keeping "Italy"), first letter capital."""
    forms = surface.get(phrase)
    words = phrase.split()
    if forms:
        # a word capitalised in most of its uses mid-sentence is a name: keep its capital
        written = forms.most_common(1)[0][0].split()
        words = [w if w[:1].isupper() and i > 0 else w.lower() for i, w in enumerate(written)]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def choose_k(vectors: np.ndarray, seed: int = 0) -> int:
    n = len(vectors)
    candidates = [k for k in K_CANDIDATES if k < n]
    if not candidates:
        return max(1, min(2, n))
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(n, size=min(n, 2000), replace=False)]
    best, best_score = candidates[0], -1.0
    for k in candidates:
        labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(sample)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(sample, labels, metric="cosine"))
        if score > best_score:
            best, best_score = k, score
    return best


def discover_framework(
    texts: Sequence[str], k: int | None = None, seed: int = 0, examples: int = 3
) -> list[FrameworkTheme]:
    """Proposed themes (key D1, D2, ... largest first) found in the texts' sentences."""
    sentences = [s for t in texts for s in split_sentences(t or "")]
    unique = list(dict.fromkeys(sentences))
    if len(unique) < 2:
        return []
    space = SentenceSpace(unique, seed=seed)
    words, dense = space.transform(unique)
    if space.dense_weight == 0:  # too few sentences for the SVD view: cluster the words
        dense = np.asarray(words.todense())
    k = choose_k(dense, seed) if k is None else max(1, min(k, len(unique)))
    model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(dense)
    groups = [np.flatnonzero(model.labels_ == c) for c in range(k)]
    groups = sorted((g for g in groups if len(g)), key=len, reverse=True)
    names = readable_names([[unique[i] for i in g] for g in groups], unique)
    themes = []
    for n, (group, name) in enumerate(zip(groups, names, strict=True), start=1):
        centre = dense[group].mean(axis=0)
        nearest = group[np.argsort(-(dense[group] @ centre), kind="stable")]
        chosen = [unique[i] for i in nearest[: examples + 1]]
        themes.append(FrameworkTheme(f"D{n}", name, chosen[0], tuple(chosen[1:])))
    return themes
