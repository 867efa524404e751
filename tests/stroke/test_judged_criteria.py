"""Criteria anywhere: judged criteria with panel scores beside the model's figures, every
pair's switching values and the Monte Carlo ranking, through the criteria file."""

from __future__ import annotations

from pathlib import Path

import pytest

from stpkit.appraisal import CriteriaFileError
from stpkit.stroke import StrokeError, StrokeModel, appraise, read_stroke_criteria
from tests.stroke.synthetic import tiny

JUDGED = """\
hurdles:
  - metric: hasus
    min: 1
criteria:
  - name: Mean travel time
    metric: mean_minutes
    weight: 40
    direction: lower
  - name: Workforce
    metric: workforce
    weight: 60
    direction: higher
options:
  - name: Both
    sites: [A, B]
    scores: {workforce: 4}
scores:
  A: {workforce: 8}
  B: {workforce: 6}
  Today: {workforce: 2}
"""


@pytest.fixture(scope="module")
def model() -> StrokeModel:
    return StrokeModel(tiny())


def write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_judged_criterion_scores_go_into_the_evaluation(model: StrokeModel, tmp_path: Path) -> None:
    spec = read_stroke_criteria(write(tmp_path, JUDGED), model)
    assert spec.judged == {"workforce"}
    a = appraise(model, range(1, 2), spec, draws=300)
    ev = a.evaluation
    values = {o.name: o.metric("workforce") for o in ev.options}
    assert values == {"A": 8.0, "B": 6.0, "Both": 4.0, "Today": 2.0}
    # the panel's scores still sit beside the model's own figures
    assert all("mean_minutes" in o.metrics for o in ev.options)
    # every pair of the four options, on each of the two criteria
    assert len(a.pairs) == 6 * 2
    ranking = [name for name, _, _ in a.monte_carlo.ranking()]
    assert sorted(ranking) == sorted(values)
    assert a.monte_carlo.mean_rank[ranking[0]] <= a.monte_carlo.mean_rank[ranking[-1]]


def test_toml_scores_section(model: StrokeModel, tmp_path: Path) -> None:
    text = (
        '[[hurdles]]\nmetric = "hasus"\nmin = 1\n\n'
        '[[criteria]]\nname = "Workforce"\nmetric = "workforce"\nweight = 1\n\n'
        "[scores.A]\nworkforce = 7\n\n[scores.B]\nworkforce = 5\n\n[scores.Today]\nworkforce = 1\n"
    )
    spec = read_stroke_criteria(write(tmp_path, text, "c.toml"), model)
    assert spec.scores == {
        "A": {"workforce": 7.0},
        "B": {"workforce": 5.0},
        "Today": {"workforce": 1.0},
    }
    a = appraise(model, range(1, 2), spec, draws=50)
    assert a.evaluation.preferred.name == "A"


def test_missing_panel_score_names_the_options(model: StrokeModel, tmp_path: Path) -> None:
    spec = read_stroke_criteria(write(tmp_path, JUDGED.replace("  B: {workforce: 6}\n", "")), model)
    with pytest.raises(StrokeError, match="judged criterion 'workforce' has no panel score for B"):
        appraise(model, range(1, 2), spec, draws=50)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            JUDGED.replace("metric: workforce", "metric: workfarce"),
            "line 9: unknown metric 'workfarce'",
        ),
        (
            JUDGED.replace("A: {workforce: 8}", "A: {workforce: high}"),
            "line 18: score 'workforce' of 'A' must be a number",
        ),
        (
            JUDGED.replace("A: {workforce: 8}", "A: {mean_minutes: 8}"),
            "line 18: mean_minutes is computed by the model",
        ),
        (
            JUDGED.replace("scores: {workforce: 4}", "scores: [4]"),
            "line 14: scores of 'Both' must map",
        ),
    ],
)
def test_bad_scores_name_the_line(
    model: StrokeModel, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(CriteriaFileError, match=message):
        read_stroke_criteria(write(tmp_path, text), model)


def test_scores_for_an_unknown_option_are_refused(model: StrokeModel, tmp_path: Path) -> None:
    spec = read_stroke_criteria(
        write(tmp_path, JUDGED.replace("  B: {workforce: 6}", "  C: {workforce: 6}")), model
    )
    with pytest.raises(
        CriteriaFileError, match="line 19: scores are given for 'C', which is not an option"
    ):
        appraise(model, range(1, 2), spec, draws=50)
