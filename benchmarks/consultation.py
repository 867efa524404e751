"""Consultation analysis: theming 10,000 responses, and agreement with the known themes.

The synthetic stroke consultation (fixed seed) carries a known theme on every response.
`consultation.themes_10k` is the wall time to vectorise, discover themes, assign every
response and read its stance. `consultation.theme_macro_f1` is the macro F1 of the
assignment after a simulated analyst names each discovered theme from its quotes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

from stpkit.consultation.analysis import analyse
from stpkit.consultation.assignment import assign_themes
from stpkit.consultation.duplicates import find_duplicates
from stpkit.consultation.evaluation import agreement, simulated_analyst
from stpkit.consultation.synthetic import OPEN_QUESTION, generate

N = 10_000
SEED = 2017


def main() -> None:
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
    with timed() as t:
        groups = find_duplicates(ids, texts)
    figure("consultation.duplicates_10k", t[0], "s")
    flagged = {rid for g in groups if g.campaign for rid in g.ids}
    truth = {r.row["response_id"] for r in responses if r.campaign}
    figure("consultation.campaign_recall", len(flagged & truth) / max(1, len(truth)), "-")
    figure("consultation.campaign_precision", len(flagged & truth) / max(1, len(flagged)), "-")


if __name__ == "__main__":
    main()
