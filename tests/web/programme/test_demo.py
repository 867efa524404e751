"""The demo programme is faithful to the seed papers and loads idempotently."""

from __future__ import annotations

from datetime import date

from stpkit.demo import programme as demo
from stpkit.programme.dependencies import find_cycle
from stpkit.web.home.dashboards import programme_dashboard as dashboard_context
from stpkit.web.programme.models import (
    Dependency,
    Milestone,
    Objective,
    Risk,
    RiskScore,
    Workstream,
)
from stpkit.web.programme.queries import dependency_warnings


def test_every_workstream_has_a_lead_sro_and_objectives_naming_gaps(programme_demo: None) -> None:
    workstreams = list(Workstream.objects.all())
    assert len(workstreams) == 10
    for w in workstreams:
        assert w.lead is not None and w.lead.role == "workstream_lead"
        assert w.senior_responsible_officer
        assert w.objectives.exists()
    assert Workstream.objects.get(slug="hospital-care").lead.username == "lead"  # type: ignore[union-attr]
    assert set(Objective.objects.values_list("gap", flat=True)) == {
        "health_wellbeing",
        "care_quality",
        "funding_efficiency",
    }


def test_stroke_timeline_holds_both_investment_committee_scenarios(programme_demo: None) -> None:
    launch = Milestone.objects.get(title="Stroke: launch public consultation")
    assert launch.baseline_date == date(2018, 2, 1)  # scenario 1: one IC meeting
    assert launch.forecast_date == date(2018, 3, 8)  # scenario 2: two IC meetings
    second_ic = Milestone.objects.get(title__contains="Investment Committee (second meeting")
    assert second_ic.forecast_date == date(2018, 2, 28)
    assert launch.dependencies.filter(
        predecessor__workstream__slug="communications-engagement"
    ).exists()


def test_dependencies_cross_workstreams_without_cycles_and_warn_of_slips(
    programme_demo: None,
) -> None:
    edges = list(Dependency.objects.values_list("predecessor_id", "successor_id"))
    assert find_cycle(edges) is None
    assert Dependency.objects.exclude(predecessor__workstream=models_f()).exists()
    warnings = dependency_warnings()
    titles = {(w.predecessor.title, w.successor.title) for w in warnings}
    assert (
        "Shared care record available to multi-disciplinary teams",
        "Multi-disciplinary team working in every locality",
    ) in titles


def models_f():  # type: ignore[no-untyped-def]
    from django.db.models import F

    return F("successor__workstream")


def test_risks_include_the_seed_risks_with_history(programme_demo: None) -> None:
    titles = set(Risk.objects.values_list("title", flat=True))
    assert {
        "Workforce shortages and reliance on agency staff",
        "Capital availability for new hospital build",
        "CCG governance lead time for joint decision-making",
    } <= titles
    capital = Risk.objects.get(title="Capital availability for new hospital build")
    assert capital.score == 20
    assert capital.scores.count() == 2
    context = dashboard_context()
    assert capital in context["escalated"]


def test_load_is_idempotent(programme_demo: None) -> None:
    counts = [m.objects.count() for m in (Milestone, Dependency, Risk, RiskScore, Objective)]
    demo.load()
    assert [
        m.objects.count() for m in (Milestone, Dependency, Risk, RiskScore, Objective)
    ] == counts
