"""Aims and objectives: change, remove, permissions, stale edits, shown in the history."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from stpkit.web.core.audit import history_for
from stpkit.web.programme.models import Objective, Workstream


def objective_of(slug: str) -> Objective:
    found = Objective.objects.filter(workstream__slug=slug).order_by("order", "pk").first()
    assert found is not None
    return found


def test_lead_changes_an_objective_and_the_workstream_history_shows_it(
    client_as: Callable[[str], Client],
) -> None:
    objective = objective_of("hospital-care")
    old_text = objective.text
    client = client_as("lead")
    url = reverse("programme:objective_edit", args=["hospital-care", objective.pk])
    response = client.post(
        url,
        {
            "text": "A 7-day stroke service with three hyper acute units",
            "gap": "health_wellbeing",
            "version": objective.version,
        },
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.text == "A 7-day stroke service with three hyper acute units"
    assert objective.gap == "health_wellbeing" and objective.version == 2
    own = history_for(objective).first()
    assert own is not None and own.changes["gap"] == ["care_quality", "health_wellbeing"]
    hospital = Workstream.objects.get(slug="hospital-care")
    on_workstream = history_for(hospital).first()
    assert on_workstream is not None and on_workstream.user is not None
    assert on_workstream.user.username == "lead"
    assert on_workstream.changes["objective"] == [
        f"{old_text} (Care and quality)",
        "A 7-day stroke service with three hyper acute units (Health and wellbeing)",
    ]
    page = client_as("board").get(reverse("programme:workstream", args=["hospital-care"]))
    text = page.content.decode()
    assert "Objective from “" in text and "three hyper acute units" in text
    assert "Change<span" not in text  # a board member sees no edit links


def test_the_second_of_two_concurrent_objective_edits_is_refused(
    client_as: Callable[[str], Client],
) -> None:
    objective = objective_of("hospital-care")
    url = reverse("programme:objective_edit", args=["hospital-care", objective.pk])
    opened_at = objective.version
    first = {"text": "First wording", "gap": objective.gap, "version": opened_at}
    second = {"text": "Second wording", "gap": objective.gap, "version": opened_at}
    assert client_as("lead").post(url, first).status_code == 302
    response = client_as("office").post(url, second)
    assert response.status_code == 200
    assert "was changed by" in response.content.decode()
    objective.refresh_from_db()
    assert objective.text == "First wording"


def test_a_lead_cannot_change_or_remove_another_workstreams_objective(
    client_as: Callable[[str], Client],
) -> None:
    objective = objective_of("digital")
    client = client_as("lead")
    edit = reverse("programme:objective_edit", args=["digital", objective.pk])
    remove = reverse("programme:objective_remove", args=["digital", objective.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"text": "Hijacked", "gap": "care_quality"}).status_code == 403
    assert client.post(remove).status_code == 403
    objective.refresh_from_db()
    assert objective.text != "Hijacked"
    # The workstream in the URL must be the objective's own.
    assert (
        client.get(
            reverse("programme:objective_edit", args=["hospital-care", objective.pk])
        ).status_code
        == 404
    )


def test_an_empty_objective_is_refused(client_as: Callable[[str], Client]) -> None:
    objective = objective_of("hospital-care")
    url = reverse("programme:objective_edit", args=["hospital-care", objective.pk])
    page = client_as("lead").post(url, {"text": "", "gap": "nonsense", "version": 1})
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert "This field is required" in text and "Select a valid choice" in text
    objective.refresh_from_db()
    assert objective.text and objective.version == 1


def test_removing_an_objective_is_recorded_on_the_workstream(
    client_as: Callable[[str], Client],
) -> None:
    objective = objective_of("hospital-care")
    label = f"{objective.text} ({objective.get_gap_display()})"
    client = client_as("office")
    url = reverse("programme:objective_remove", args=["hospital-care", objective.pk])
    assert "Remove objective" in client.get(url).content.decode()
    assert Objective.objects.filter(pk=objective.pk).exists()  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists()
    record = history_for(Workstream.objects.get(slug="hospital-care")).first()
    assert record is not None and record.changes["objective"] == [label, ""]
