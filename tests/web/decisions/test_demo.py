"""The demo loads both programmes at the stages of seed 004, through the workflow rules."""

from __future__ import annotations

import pytest

from stpkit.demo import decisions as demo
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Programme


@pytest.fixture
def loaded(demo_partnership: None) -> None:
    demo.load()


def test_stroke_programme_is_at_the_evaluation_of_its_short_list(loaded: None) -> None:
    prog = Programme.objects.get(slug=demo.STROKE_SLUG)
    stage = services.current_stage(prog)
    assert stage is not None and stage.key == "evaluation"
    assert [s.key for s in services.funnel(prog)] == ["long", "short", "preferred"]
    # the stroke model's long list: 35 three-HASU configurations and today
    assert [s.count for s in services.funnel(prog)] == [36, 6, 0]
    assert prog.options.filter(origin="model").count() == 36
    today = prog.options.get(code="Today")
    assert today.business_as_usual and today.reached == "short"  # kept as the comparator
    assert today.metrics["min_unit_volume"] < 500
    rejected = prog.options.get(code="DA+MD+MW")
    reasons = [r.reason for r in rejected.hurdle_results.all() if not r.passed]
    assert any("below the minimum 0.95" in r for r in reasons)
    assert any("No HASU in East Kent" in r for r in reasons)
    # the short list is the five options Kent and Medway consulted on, and today
    short = {o.code for o in prog.options.filter(reached="short")}
    assert short == {*demo.CONSULTED, "Today"}
    assert demo.CHOSEN in short
    kc = prog.options.get(code="KT+MW+WH")
    assert kc.reached == "long"
    assert [r.reason for r in kc.hurdle_results.all() if not r.passed] == [
        "HASU at KT (East Kent: WH only)"
    ]
    ev = services.evaluation(prog)
    assert ev is not None
    assert len(ev.options) == 6
    assert services.facts(prog)["unmoderated"] == 0  # the wide spread was moderated
    # the case for change links today's figures from the stroke model, as the long list's BAU
    figures = {
        e.note.removeprefix("metric "): e.value
        for e in prog.evidence.filter(kind="figure", source__contains="Stroke model")
    }
    assert set(figures) == {
        "min_unit_volume",
        "max_unit_volume",
        "share_within_30",
        "share_within_60",
        "mean_onset_to_needle",
        "share_mrs_0_2",
    }
    for metric in ("min_unit_volume", "max_unit_volume", "mean_onset_to_needle"):
        shown = float(figures[metric].replace(",", ""))
        assert shown == pytest.approx(today.metrics[metric], rel=1e-3), metric
    assert figures["share_within_60"] == f"{today.metrics['share_within_60']:.1%}"
    assert float(figures["min_unit_volume"].replace(",", "")) < 500


def test_east_kent_is_at_the_medium_list_stage(loaded: None) -> None:
    prog = Programme.objects.get(slug=demo.EAST_KENT_SLUG)
    stage = services.current_stage(prog)
    assert stage is not None and stage.key == "hurdle_sift"
    assert prog.options.count() == 7
    # every option carried through the acute-service model on the same road times
    bau, single = prog.options.get(code="BAU"), prog.options.get(code="3")
    assert (
        bau.members
        == "William Harvey Hospital, Ashford; Queen Elizabeth the Queen Mother Hospital, Margate"
    )
    assert single.members == "William Harvey Hospital, Ashford"
    assert bau.metrics["mean_change_minutes"] == 0.0
    assert single.metrics["mean_change_minutes"] > 0
    assert single.metrics["share_within_30"] < bau.metrics["share_within_30"]
    assert single.metrics["beds"] > 0 and single.metrics["max_probability_no_bed"] <= 0.05
    three = prog.options.get(code="1")
    assert three.metrics["mean_minutes"] <= bau.metrics["mean_minutes"]


def test_load_is_idempotent(loaded: None) -> None:
    demo.load()
    assert Programme.objects.count() == 2
