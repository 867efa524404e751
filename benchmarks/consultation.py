"""Consultation analysis: theming 10,000 responses, and agreement with known themes.

Synthetic (our own, fixed seed; responses now carry a second theme and varied stance
wording): `consultation.themes_10k` is the wall time to vectorise, discover themes, assign
every response and read its stance; `consultation.theme_macro_f1` the macro F1 of that
assignment against each response's main theme after a simulated analyst names each
discovered theme from its quotes. `consultation.framework_10k` times the framework path
(several themes per response, with stance) and `consultation.framework_macro_f1` scores it
against every known theme.

Evaluation set written outside stpkit (`../shared/evaluation/consultation`, or
$STPKIT_EVALUATION_DIR/consultation; skipped with a message when absent), see
`stpkit.consultation.evaluation.evaluate_labelled_set`: `consultation.eval.names_*` use the
framework's first-listed name and its one-sentence rationale per theme (as an analyst would
write one), `labelled100_*` and `stance_accuracy` add 100 randomly chosen analyst-labelled
responses and score the other 900, `discovery_macro_f1` proposes themes with no framework
and names each after the true theme it overlaps most (Jaccard of response sets).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

from stpkit.consultation.analysis import analyse
from stpkit.consultation.assignment import assign_themes
from stpkit.consultation.duplicates import find_duplicates
from stpkit.consultation.evaluation import (
    agreement,
    evaluate_labelled_set,
    load_themefinder_set,
    multilabel_scores,
    simulated_analyst,
)
from stpkit.consultation.synthetic import FRAMEWORK, OPEN_QUESTION, generate

N = 10_000
SEED = 2017


def evaluation_folder() -> Path:
    base = os.environ.get("STPKIT_EVALUATION_DIR")
    root = (
        Path(base) if base else Path(__file__).resolve().parents[1].parent / "shared" / "evaluation"
    )
    return root / "consultation"


def synthetic() -> None:
    responses = generate(N, SEED)
    ids = [r.row["response_id"] for r in responses]
    texts = [r.row[OPEN_QUESTION] for r in responses]
    known = {r.row["response_id"]: r.theme for r in responses}
    with timed() as t:
        analysis = analyse(ids, texts, seed=0)
    figure("consultation.themes_10k", t[0], "s")
    themes = simulated_analyst(analysis.corpus, analysis.themes, known)
    assignments = assign_themes(analysis.corpus, themes)
    result = agreement(assignments, {th.key: th.label for th in themes}, known)
    figure("consultation.theme_macro_f1", result.macro_f1, "-")
    figure("consultation.themes_discovered", len(analysis.themes), "themes")
    stance_right = sum(analysis.stances[r.row["response_id"]] == r.stance for r in responses)
    figure("consultation.stance_accuracy", stance_right / N, "-")
    closed = {r.row["response_id"]: r.row["q1_agree"] for r in responses}
    with timed() as t:
        framed = analyse(ids, texts, framework=FRAMEWORK, closed_answers=closed)
    figure("consultation.framework_10k", t[0], "s")
    hits = {rid: [h.theme for h in hs] for rid, hs in (framed.hits or {}).items()}
    truth = {r.row["response_id"]: set(r.themes) for r in responses if r.themes}
    scores = multilabel_scores(hits, truth, [t.key for t in FRAMEWORK])
    figure("consultation.framework_macro_f1", scores.macro_f1, "-")
    figure("consultation.framework_micro_recall", scores.micro_recall, "-")
    with timed() as t:
        groups = find_duplicates(ids, texts)
    figure("consultation.duplicates_10k", t[0], "s")
    flagged = {rid for g in groups if g.campaign for rid in g.ids}
    truth_c = {r.row["response_id"] for r in responses if r.campaign}
    figure("consultation.campaign_recall", len(flagged & truth_c) / max(1, len(truth_c)), "-")
    figure("consultation.campaign_precision", len(flagged & truth_c) / max(1, len(flagged)), "-")


def evaluation() -> None:
    folder = evaluation_folder()
    if not (folder / "eval_sentiments.csv").exists():
        print(f"consultation.eval skipped: no evaluation set at {folder}")
        return
    data = load_themefinder_set(folder)
    with timed() as t:
        figures = evaluate_labelled_set(data, n_labelled=100, seed=0)
    for name, value in figures.items():
        unit = "themes" if name.startswith("discovery_t") else "-"
        figure(f"consultation.eval.{name}", value, unit)
    figure("consultation.eval.seconds", t[0], "s")


def main() -> None:
    evaluation()
    synthetic()


if __name__ == "__main__":
    main()
