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


def map_by_overlap(
    members: Mapping[str, set[str]], truth: Mapping[str, set[str]]
) -> dict[str, str]:
    """Name each discovered theme after the true theme whose responses overlap it most
    (Jaccard index of the two sets of response ids), as an analyst reading its responses
    would; several discovered themes may take one name (they are merged)."""
    out = {}
    for key, mine in members.items():
        if not truth:
            break
        out[key] = max(
            sorted(truth), key=lambda t: len(mine & truth[t]) / max(1, len(mine | truth[t]))
        )
    return out


def evaluate_labelled_set(
    data: LabelledSet, n_labelled: int = 100, seed: int = 0
) -> dict[str, float]:
    """The figures of the three settings on a labelled set (docs/consultation.md):
    framework only (scored on every response), plus `n_labelled` analyst-labelled
    responses chosen at random (scored on the others), and discovery with no framework."""
    import numpy as np

    from stpkit.consultation.discovery import discover_framework
    from stpkit.consultation.multitheme import assign_framework
    from stpkit.consultation.stance import stances

    keys = [t.key for t in data.framework]
    position = {t.key: t.position for t in data.framework}
    out: dict[str, float] = {}
    names = assign_framework(data.ids, data.texts, data.framework)
    pred = {rid: [h.theme for h in hits] for rid, hits in names.hits.items()}
    s = multilabel_scores(pred, data.themes, keys)
    out.update(
        names_macro_f1=s.macro_f1,
        names_micro_f1=s.micro_f1,
        names_micro_precision=s.micro_precision,
        names_micro_recall=s.micro_recall,
    )
    sides = {
        rid: [(position[h.theme], h.confidence, h.sentence) for h in hits]
        for rid, hits in names.hits.items()
    }
    guessed = stances(data.ids, data.texts, theme_sides=sides)
    out["names_stance_accuracy"] = float(
        np.mean([guessed[r] == data.positions[r] for r in data.ids])
    )
    rng = np.random.default_rng(seed)
    chosen = {str(r) for r in rng.choice(data.ids, size=n_labelled, replace=False)}
    held = [r for r in data.ids if r not in chosen]
    labelled = assign_framework(
        data.ids, data.texts, data.framework, labels={r: data.themes[r] for r in chosen}
    )
    pred = {rid: [h.theme for h in hits] for rid, hits in labelled.hits.items()}
    s = multilabel_scores(pred, {r: data.themes[r] for r in held}, keys)
    out.update(labelled100_macro_f1=s.macro_f1, labelled100_micro_f1=s.micro_f1)
    sides = {
        rid: [(position[h.theme], h.confidence, h.sentence) for h in hits]
        for rid, hits in labelled.hits.items()
    }
    guessed = stances(
        data.ids, data.texts, theme_sides=sides, labels={r: data.positions[r] for r in chosen}
    )
    out["stance_accuracy"] = float(np.mean([guessed[r] == data.positions[r] for r in held]))
    proposed = discover_framework(data.texts, seed=seed)
    found = assign_framework(data.ids, data.texts, proposed)
    members: dict[str, set[str]] = {t.key: set() for t in proposed}
    for rid, hits in found.hits.items():
        for h in hits:
            members[h.theme].add(rid)
    truth: dict[str, set[str]] = {k: set() for k in keys}
    for rid, ks in data.themes.items():
        for k in ks:
            truth[k].add(rid)
    mapping = map_by_overlap(members, truth)
    mapped = {rid: {mapping[h.theme] for h in hits} for rid, hits in found.hits.items()}
    s = multilabel_scores(mapped, data.themes, keys)
    out.update(
        discovery_macro_f1=s.macro_f1,
        discovery_themes=float(len(proposed)),
        discovery_true_themes_found=float(len(set(mapping.values()))),
    )
    return out
