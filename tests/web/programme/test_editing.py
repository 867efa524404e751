"""Editing through the web: permissions, bad input, concurrent edits, history."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from stpkit.web.core.audit import history_for
from stpkit.web.programme.models import Dependency, Milestone, Risk, RiskPolicy, Workstream


def milestone(slug: str) -> Milestone:
    found = Milestone.objects.filter(workstream__slug=slug).order_by("pk").first()
    assert found is not None
    return found


def form_data(m: Milestone, **changes: str) -> dict[str, str]:
    data = {
        "title": m.title,
        "description": m.description,
        "owner": m.owner,
        "status": m.status,
        "start_date": m.start_date.isoformat() if m.start_date else "",
        "baseline_date": m.baseline_date.isoformat(),
        "forecast_date": m.forecast_date.isoformat(),
        "version": str(m.version),
    }
    data.update(changes)
    return data


def test_lead_edits_own_workstream_milestone_and_history_records_it(
    client_as: Callable[[str], Client],
) -> None:
    m = milestone("hospital-care")
    response = client_as("lead").post(
        reverse("programme:milestone_edit", args=[m.pk]), form_data(m, forecast_date="2018-04-30")
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.forecast_date.isoformat() == "2018-04-30" and m.version == 2
    record = history_for(m).first()
    assert record is not None and record.user.username == "lead"  # type: ignore[union-attr]
    assert record.changes["forecast_date"][1] == "2018-04-30"
    page = client_as("board").get(reverse("programme:milestone", args=[m.pk])).content.decode()
    assert "30 April 2018" in page and "Edit milestone" not in page


def test_lead_is_refused_another_workstreams_milestone(client_as: Callable[[str], Client]) -> None:
    m = milestone("digital")
    client = client_as("lead")
    assert client.get(reverse("programme:milestone_edit", args=[m.pk])).status_code == 403
    response = client.post(
        reverse("programme:milestone_edit", args=[m.pk]), form_data(m, title="Hijacked")
    )
    assert response.status_code == 403
    m.refresh_from_db()
    assert m.title != "Hijacked"


def test_office_edits_any_workstream_board_reads_only(client_as: Callable[[str], Client]) -> None:
    m = milestone("digital")
    response = client_as("office").post(
        reverse("programme:milestone_edit", args=[m.pk]), form_data(m, owner="Programme office")
    )
    assert response.status_code == 302
    assert (
        client_as("board").get(reverse("programme:milestone_edit", args=[m.pk])).status_code == 403
    )


def test_invalid_and_inconsistent_dates_are_explained_and_not_saved(
    client_as: Callable[[str], Client],
) -> None:
    m = milestone("hospital-care")
    client = client_as("lead")
    url = reverse("programme:milestone_edit", args=[m.pk])
    page = client.post(url, form_data(m, baseline_date="2018-02-31")).content.decode()
    assert "Enter a real date" in page
    page = client.post(url, form_data(m, start_date="2019-01-01")).content.decode()
    assert "start date must be on or before the baseline date" in page
    m.refresh_from_db()
    assert m.version == 1


def test_the_second_of_two_concurrent_edits_is_refused(client_as: Callable[[str], Client]) -> None:
    m = milestone("hospital-care")
    first = form_data(m, owner="First editor")
    second = form_data(m, owner="Second editor")  # opened at the same version
    assert (
        client_as("lead").post(reverse("programme:milestone_edit", args=[m.pk]), first).status_code
        == 302
    )
    response = client_as("office").post(reverse("programme:milestone_edit", args=[m.pk]), second)
    assert response.status_code == 200
    assert "was changed by" in response.content.decode()
    m.refresh_from_db()
    assert m.owner == "First editor"


def test_self_dependency_and_cycle_are_refused_via_the_web(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("office")
    launch = Milestone.objects.get(title="Stroke: launch public consultation")
    closes = Milestone.objects.get(title="Stroke: public consultation closes")
    before = Dependency.objects.count()
    page = client.post(
        reverse("programme:dependency_new", args=[launch.pk]), {"predecessor": launch.pk}
    ).content.decode()
    assert "cannot depend on itself" in page
    # closes waits for launch already; launch waiting for closes would be a cycle
    page = client.post(
        reverse("programme:dependency_new", args=[launch.pk]), {"predecessor": closes.pk}
    ).content.decode()
    assert "cycle" in page and "Stroke: public consultation closes" in page
    assert Dependency.objects.count() == before


def test_adding_and_removing_a_dependency_is_recorded(client_as: Callable[[str], Client]) -> None:
    client = client_as("lead")
    golive = Milestone.objects.get(title="Stroke: hyper acute stroke units go live")
    kid = Milestone.objects.get(title__startswith="Kent Integrated Dataset governance")
    response = client.post(
        reverse("programme:dependency_new", args=[golive.pk]),
        {"predecessor": kid.pk, "note": "data"},
    )
    assert response.status_code == 302
    dep = Dependency.objects.get(predecessor=kid, successor=golive)
    assert "Kent Integrated Dataset" in history_for(golive).first().changes["depends on"][1]  # type: ignore[union-attr]
    assert client.post(reverse("programme:dependency_remove", args=[dep.pk])).status_code == 302
    assert not Dependency.objects.filter(pk=dep.pk).exists()


def test_risk_scores_outside_1_to_5_are_refused_and_changes_build_history(
    client_as: Callable[[str], Client],
) -> None:
    client = client_as("lead")
    hospital = Workstream.objects.get(slug="hospital-care")
    data = {
        "workstream": hospital.pk,
        "kind": "risk",
        "title": "Thrombectomy centre staffing",
        "likelihood": "6",
        "consequence": "3",
        "status": "open",
    }
    page = client.post(reverse("programme:risk_new"), data).content.decode()
    assert "Likelihood" in page and "from 1 to 5" in page
    assert not Risk.objects.filter(title="Thrombectomy centre staffing").exists()
    data["likelihood"] = "3"
    assert client.post(reverse("programme:risk_new"), data).status_code == 302
    risk = Risk.objects.get(title="Thrombectomy centre staffing")
    assert risk.score == 9 and risk.scores.count() == 1
    data.update(likelihood="5", version=str(risk.version))
    assert client.post(reverse("programme:risk_edit", args=[risk.pk]), data).status_code == 302
    risk.refresh_from_db()
    assert risk.score == 15 and list(risk.scores.values_list("score", flat=True)) == [15, 9]
    assert risk in Risk.objects.filter(score__gte=RiskPolicy.current().escalation_threshold)
    page = client.get(reverse("programme:risk", args=[risk.pk])).content.decode()
    assert "Escalated to the Programme Board" in page


def test_lead_cannot_add_a_risk_to_another_workstream_or_programme_wide(
    client_as: Callable[[str], Client],
) -> None:
    digital = Workstream.objects.get(slug="digital")
    client = client_as("lead")
    data = {
        "workstream": digital.pk,
        "kind": "risk",
        "title": "X",
        "likelihood": "2",
        "consequence": "2",
        "status": "open",
    }
    page = client.post(reverse("programme:risk_new"), data).content.decode()
    assert "Select a valid choice" in page
    data["workstream"] = ""
    assert (
        "This field is required"
        in client.post(reverse("programme:risk_new"), data).content.decode()
    )
    assert not Risk.objects.filter(title="X").exists()


def test_bands_are_configurable_and_validated(client_as: Callable[[str], Client]) -> None:
    client = client_as("office")
    policy = RiskPolicy.current()
    url = reverse("programme:risk_policy")
    page = client.post(
        url,
        {
            "low_max": 6,
            "moderate_max": 4,
            "high_max": 12,
            "escalation_threshold": 15,
            "version": policy.version,
        },
    ).content.decode()
    assert "must rise" in page
    response = client.post(
        url,
        {
            "low_max": 4,
            "moderate_max": 9,
            "high_max": 16,
            "escalation_threshold": 20,
            "version": policy.version,
        },
    )
    assert response.status_code == 302
    assert RiskPolicy.current().bands.band_for(16).key == "high"
    assert client_as("lead").get(url).status_code == 403


def test_lead_edits_own_workstream_but_cannot_hand_it_away(
    client_as: Callable[[str], Client],
) -> None:
    hospital = Workstream.objects.get(slug="hospital-care")
    office = Workstream.objects.get(slug="digital").lead
    assert office is not None
    data = {
        "lead": office.pk,
        "senior_responsible_officer": "New SRO",
        "kind": "transformation",
        "status": "active",
        "description": hospital.description,
        "version": hospital.version,
    }
    client = client_as("lead")
    assert (
        client.post(reverse("programme:workstream_edit", args=["hospital-care"]), data).status_code
        == 302
    )
    hospital.refresh_from_db()
    assert hospital.senior_responsible_officer == "New SRO"
    assert hospital.lead is not None and hospital.lead.username == "lead"
    assert client.get(reverse("programme:workstream_edit", args=["digital"])).status_code == 403
    response = client.post(
        reverse("programme:objective_new", args=["hospital-care"]),
        {"text": "Thrombectomy centre for Kent and Medway", "gap": "care_quality"},
    )
    assert response.status_code == 302
    page = client.get(reverse("programme:workstream", args=["hospital-care"])).content.decode()
    assert "Thrombectomy centre for Kent and Medway" in page and "Care and quality" in page
    assert "Senior responsible officer from" in page  # change history on the workstream page


def test_saving_a_forecast_that_makes_a_dependency_slip_warns_at_once(
    client_as: Callable[[str], Client],
) -> None:
    approval = Milestone.objects.get(
        title="Stroke: approval of final option by CCG Joint Committee"
    )
    client = client_as("lead")
    url = reverse("programme:milestone_edit", args=[approval.pk])
    page = client.post(
        url, form_data(approval, forecast_date="2018-12-15"), follow=True
    ).content.decode()
    assert "saved" in page and "Dependency warning" not in page  # still in time for both
    approval.refresh_from_db()
    page = client.post(
        url, form_data(approval, forecast_date="2020-03-31"), follow=True
    ).content.decode()
    # Go-live (forecast 31 Dec 2019) and the estates works (31 Jan 2020) wait for it.
    assert (
        "Dependency warning: “Stroke: hyper acute stroke units go live” (Hospital care) waits "
        "for “Stroke: approval of final option by CCG Joint Committee” (Hospital care), which "
        "is now forecast 91 days later." in page
    )
    assert "“Stroke unit estates works complete” (Estates)" in page and "60 days later" in page


def test_the_office_adds_a_workstream_others_cannot(client_as: Callable[[str], Client]) -> None:
    url = reverse("programme:workstream_new")
    data = {
        "name": "Urgent and emergency care",
        "slug": "urgent-care",
        "kind": "transformation",
        "status": "mobilising",
        "senior_responsible_officer": "A&E delivery board chair",
        "description": "",
        "lead": "",
    }
    assert client_as("lead").post(url, data).status_code == 403
    assert client_as("board").get(url).status_code == 403
    office = client_as("office")
    page = office.post(url, {**data, "name": "Digital", "slug": "new"}).content.decode()
    assert "Workstream with this Name already exists" in page and "kept for the add page" in page
    assert office.post(url, data).status_code == 302
    added = Workstream.objects.get(slug="urgent-care")
    assert added.order == 11 and added.status == "mobilising"
    record = history_for(added).first()
    assert record is not None and record.action == "create" and record.user is not None
    assert "Urgent and emergency care" in office.get(reverse("programme:index")).content.decode()
