"""The pack writers work from plain data (no web layer) and write the ranked table."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

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
    # charts: funnel, ranking and the scenario's Gantt chart, as PNG pictures
    assert len(doc.inline_shapes) == 3
    rejected = next(t for t in doc.tables if t.rows[0].cells[0].text == "Option")
    assert [c.text for c in rejected.rows[1].cells] == ["Z", "Option Z", "Volume: below 500"]
    timeline = next(t for t in doc.tables if t.rows[0].cells[0].text == "Task")
    critical = [r.cells[0].text for r in timeline.rows[1:] if r.cells[5].text == "yes"]
    assert critical[-1] == "Launch of consultation (date TBC)"
    summary = Document(io.BytesIO(write_dmbc_summary(pack)))
    assert "No decision has been recorded yet." in [p.text for p in summary.paragraphs]


def test_dmbc_summary_holds_the_decision_and_the_consultation() -> None:
    pack = replace(
        _pack(),
        consultation=(date(2018, 3, 8), date(2018, 6, 1), ""),
        consultation_analyses=["Stroke consultation 2018 (08/03/2018 to 01/06/2018)"],
        decision=(date(2019, 2, 14), "CCG Joint Committee", "Y: Option Y", "Phased"),
    )
    doc = Document(io.BytesIO(write_dmbc_summary(pack)))
    texts = [p.text for p in doc.paragraphs]
    assert "Public consultation from 08/03/2018 to 01/06/2018. Analysis of responses: " in (
        "\n".join(texts)
    )
    assert "Consultation analysis: Stroke consultation 2018 (08/03/2018 to 01/06/2018)" in texts
    decided = next(t for t in doc.tables if t.rows[0].cells[0].text == "Decided on")
    assert [c.text for c in decided.rows[1].cells] == [
        "14/02/2019",
        "CCG Joint Committee",
        "Y: Option Y",
        "Phased",
    ]
    ranked = next(t for t in doc.tables if t.rows[0].cells[0].text == "Rank")
    assert ranked.rows[1].cells[1].text == "Y: Option Y"
