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
from pathlib import Path

from sklearn.metrics import f1_score

from stpkit.consultation.assignment import Assignment, assign_themes
from stpkit.consultation.framework import FrameworkTheme
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


# --- several themes per response: scoring and the ThemeFinder-format labelled set --------


@dataclass(frozen=True)
class MultiLabelScores:
    macro_f1: float
    micro_f1: float
    micro_precision: float
    micro_recall: float
    per_theme_f1: dict[str, float]
    n: int


def multilabel_scores(
    predicted: Mapping[str, Sequence[str] | set[str]],
    truth: Mapping[str, Sequence[str] | set[str]],
    keys: Sequence[str],
) -> MultiLabelScores:
    """Precision, recall and F1 per theme (macro) and over all (response, theme) pairs (micro),
    on the responses in `truth`."""
    tp = dict.fromkeys(keys, 0)
    fp = dict.fromkeys(keys, 0)
    fn = dict.fromkeys(keys, 0)
    for rid, true in truth.items():
        pred = set(predicted.get(rid, ()))
        for k in keys:
            if k in pred and k in true:
                tp[k] += 1
            elif k in pred:
                fp[k] += 1
            elif k in true:
                fn[k] += 1

    def f1(a: int, b: int, c: int) -> float:
        return 2 * a / (2 * a + b + c) if a else 0.0

    per = {k: f1(tp[k], fp[k], fn[k]) for k in keys}
    TP, FP, FN = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return MultiLabelScores(
        macro_f1=sum(per.values()) / max(1, len(per)),
        micro_f1=f1(TP, FP, FN),
        micro_precision=TP / max(1, TP + FP),
        micro_recall=TP / max(1, TP + FN),
        per_theme_f1=per,
        n=len(truth),
    )


@dataclass
class LabelledSet:
    """Responses with known themes and position, and a framework (one name per theme)."""

    question: str
    ids: list[str]
    texts: list[str]
    themes: dict[str, set[str]]
    positions: dict[str, str]  # response id -> "agree" / "disagree"
    framework: list[FrameworkTheme]


def load_themefinder_set(folder: Path) -> LabelledSet:
    """Read i.AI ThemeFinder's evaluation format (eval_sentiments.csv, framework_themes.json,
    expanded_question.txt). Each theme is given as an analyst would write it: the framework's
    first-listed name and its one-sentence rationale as the description (not the
    paraphrases that follow); its group (Agreement/Disagreement) gives its position."""
    import ast
    import csv
    import json
    import re

    question = (folder / "expanded_question.txt").read_text().strip()
    raw = json.loads((folder / "framework_themes.json").read_text())
    framework = []
    for group, entries in raw.items():
        position = {"agreement": "support", "disagreement": "oppose"}.get(group.lower(), "")
        for key, entry in entries.items():
            first = entry["topics"][0]
            framework.append(
                FrameworkTheme(key, first["topic_name"], first["rationale"], (), position)
            )
    framework.sort(key=lambda t: t.key)
    ids, texts, themes, positions = [], [], {}, {}
    with (folder / "eval_sentiments.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            rid = row["response_id"]
            body = re.sub(r"\}\s*\n\s*\{", "},{", row["target_topics"].strip()[1:-1])
            topics = ast.literal_eval(f"[{body}]")
            ids.append(rid)
            texts.append(row["response"])
            themes[rid] = {k for d in topics for k, v in d.items() if v}
            positions[rid] = "agree" if row["position"].strip().lower() == "yes" else "disagree"
    return LabelledSet(question, ids, texts, themes, positions, framework)
