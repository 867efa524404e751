"""Measure theme assignment against known labels (the synthetic consultation).

Discovered themes have no names the truth knows, so a simulated analyst does what a real
one does: reads each theme's representative quotes and names the theme after what most of
them are about, merging themes given the same name. Every response is then re-assigned
and compared with its known label. Only the quotes' labels are looked at, never the
labels of the responses being scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sklearn.metrics import f1_score

from stpkit.consultation.assignment import Assignment, assign_themes
from stpkit.consultation.themes import Corpus, Theme, merge_themes, rename_theme

QUOTES_READ = 10


@dataclass(frozen=True)
class Agreement:
    macro_f1: float
    accuracy: float
    per_theme_f1: dict[str, float]
    n: int


def simulated_analyst(corpus: Corpus, themes: list[Theme], known: Mapping[str, str]) -> list[Theme]:
    """Name each theme after the known label of most of its exemplars; merge namesakes."""
    named: dict[str, list[str]] = {}
    for theme in themes:
        exemplars = [rid for group in theme.prototypes for rid in group][:QUOTES_READ]
        votes = Counter(known[rid] for rid in exemplars if known.get(rid))
        if not votes:
            continue
        label = votes.most_common(1)[0][0]
        themes = rename_theme(themes, theme.key, label)
        named.setdefault(label, []).append(theme.key)
    for keys in named.values():
        if len(keys) > 1:
            themes = merge_themes(themes, keys)
    return themes


def agreement(
    assignments: Sequence[Assignment], labels: Mapping[str, str], known: Mapping[str, str]
) -> Agreement:
    """Macro F1 over the known themes; `labels` maps theme keys to known theme names."""
    truth, predicted = [], []
    for a in assignments:
        if not known.get(a.response_id):
            continue  # blank answers have no theme to find
        truth.append(known[a.response_id])
        predicted.append(labels.get(a.theme or "", "(none)"))
    names = sorted(set(truth))
    per = f1_score(truth, predicted, labels=names, average=None, zero_division=0)
    return Agreement(
        macro_f1=float(per.mean()),
        accuracy=sum(t == p for t, p in zip(truth, predicted, strict=True)) / max(1, len(truth)),
        per_theme_f1={n: float(f) for n, f in zip(names, per, strict=True)},
        n=len(truth),
    )


def measure(corpus: Corpus, themes: list[Theme], known: Mapping[str, str]) -> Agreement:
    themes = simulated_analyst(corpus, themes, known)
    assignments = assign_themes(corpus, themes)
    return agreement(assignments, {t.key: t.label for t in themes}, known)
