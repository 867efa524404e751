"""The pack writers work from plain data (no web layer) and write the ranked table."""

from __future__ import annotations

import io

from docx import Document

from stpkit.appraisal import switching_values
from stpkit.decisions.funnel import funnel_counts
from stpkit.decisions.panel import Score, WeightedCriterion, panel_evaluation, summarise
from stpkit.decisions.seed_timeline import ONE_IC, STROKE_TIMELINE
from stpkit.decisions.timeline import schedule
from stpkit.reports.decision_packs import (
    DecisionPack,
    StageLine,
    write_dmbc_summary,
    write_pcbc_chapter,
)


def _pack() -> DecisionPack:
    criteria = [
        WeightedCriterion("q", "Quality", "Quality", 60.0),
        WeightedCriterion("a", "Access", "Access", 40.0),
    ]
    scores = [Score("ann", "X", "q", 8), Score("ann", "X", "a", 4)]
    scores += [Score("ann", "Y", "q", 5), Score("ann", "Y", "a", 9)]
    ev = panel_evaluation(["X", "Y"], criteria, summarise(scores), 10.0)
    plan = schedule(STROKE_TIMELINE, ONE_IC)
    return DecisionPack(
        programme="Test change",
        summary="A test.",
        process="Stroke",
        stages=[StageLine("Case for change", "signed off", "Ann", "SRO")],
        funnel=funnel_counts(["long", "short", "short"], False),
        rejected=[("Z", "Option Z", "Volume: below 500")],
        criteria=[("Quality", "Quality", 60.0), ("Access", "Access", 40.0)],
        option_names={"X": "Option X", "Y": "Option Y"},
        evaluation=ev,
        switching=switching_values(ev),
        schedules=[("Scenario 1", plan, plan)],
        decision=None,
    )


def test_pcbc_chapter_and_dmbc_summary_from_plain_data() -> None:
    pack = _pack()
    doc = Document(io.BytesIO(write_pcbc_chapter(pack)))
    ranked = next(t for t in doc.tables if t.rows[0].cells[0].text == "Rank")
    rows = [[c.text for c in r.cells] for r in ranked.rows]
    assert rows[0] == ["Rank", "Option", "Quality", "Access", "Weighted score"]
    assert rows[1][:2] == ["1", "Y: Option Y"] and rows[1][-1] == "66.0"
    assert rows[2][:2] == ["2", "X: Option X"] and rows[2][-1] == "64.0"  # .6*80 + .4*40
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Quality: weight share 60.0% -> 62.5%" in text
    assert "Planned launch 01/02/2018; forecast 01/02/2018 (+0 days)." in text
    summary = Document(io.BytesIO(write_dmbc_summary(pack)))
    assert "No decision has been recorded yet." in [p.text for p in summary.paragraphs]
