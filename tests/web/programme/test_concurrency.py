"""Two people editing the same risk, workstream or risk bands: the second save is refused
with a message naming who changed it, and the first person's change stands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.programme.models import Dependency, Milestone, Risk, RiskPolicy, Workstream
from stpkit.web.programme.services import DEPENDENCY_GRAPH_LOCK, add_dependency


def risk_form(risk: Risk, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "workstream": risk.workstream_id or "",
        "kind": risk.kind,
        "title": risk.title,
        "description": risk.description,
        "owner": risk.owner,
        "likelihood": risk.likelihood,
        "consequence": risk.consequence,
        "target_likelihood": risk.target_likelihood or "",
        "target_consequence": risk.target_consequence or "",
        "mitigations": risk.mitigations,
        "review_date": risk.review_date.isoformat() if risk.review_date else "",
        "status": risk.status,
        "version": risk.version,
    }
    data.update(changes)
    return data


def test_the_second_of_two_risk_edits_is_refused_and_adds_no_score(
    client_as: Callable[[str], Client],
) -> None:
    risk = Risk.objects.get(title="Capital availability for new hospital build")
    scores_before = risk.scores.count()
    url = reverse("programme:risk_edit", args=[risk.pk])
    first = risk_form(risk, likelihood=3)
    second = risk_form(risk, likelihood=5, mitigations="Overwritten")
    assert client_as("lead").post(url, first).status_code == 302
    response = client_as("office").post(url, second)
    page = response.content.decode()
    assert response.status_code == 200 and "was changed by" in page
    assert "Your changes were not saved" in page
    risk.refresh_from_db()
    assert (risk.likelihood, risk.score) == (3, 15)
    assert "Overwritten" not in risk.mitigations
    assert risk.scores.count() == scores_before + 1  # only the first edit's new score


def test_the_second_of_two_workstream_edits_is_refused(
    client_as: Callable[[str], Client],
) -> None:
    hospital = Workstream.objects.get(slug="hospital-care")
    url = reverse("programme:workstream_edit", args=["hospital-care"])
    base = {
        "lead": hospital.lead_id,
        "kind": hospital.kind,
        "status": hospital.status,
        "description": hospital.description,
        "version": hospital.version,
    }
    assert (
        client_as("office")
        .post(url, {**base, "senior_responsible_officer": "First SRO"})
        .status_code
        == 302
    )
    response = client_as("lead").post(url, {**base, "senior_responsible_officer": "Second SRO"})
    assert response.status_code == 200 and "was changed by" in response.content.decode()
    hospital.refresh_from_db()
    assert hospital.senior_responsible_officer == "First SRO"


def test_the_second_of_two_band_edits_is_refused(client_as: Callable[[str], Client]) -> None:
    policy = RiskPolicy.current()
    url = reverse("programme:risk_policy")
    base = {"low_max": 3, "moderate_max": 6, "high_max": 12, "version": policy.version}
    office = client_as("office")
    assert office.post(url, {**base, "escalation_threshold": 12}).status_code == 302
    response = office.post(url, {**base, "escalation_threshold": 20})
    assert response.status_code == 200 and "was changed" in response.content.decode()
    assert RiskPolicy.current().escalation_threshold == 12


@pytest.mark.postgres
def test_a_dependency_waits_while_someone_else_changes_the_graph(programme_demo: None) -> None:
    """Checking for a cycle reads the whole graph, so two additions must not interleave:
    while another session holds the graph lock, adding a dependency waits (here: times out)
    and saves nothing."""
    other = connections.create_connection("default")
    try:
        assert other.settings_dict["NAME"] == connection.settings_dict["NAME"]
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [DEPENDENCY_GRAPH_LOCK])
        golive = Milestone.objects.get(title="Stroke: hyper acute stroke units go live")
        kid = Milestone.objects.get(title__startswith="Kent Integrated Dataset governance")
        before = Dependency.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        with pytest.raises(OperationalError, match="lock timeout"):
            add_dependency(
                predecessor=kid, successor=golive, user=User.objects.get(username="office")
            )
        assert Dependency.objects.count() == before
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
        other.close()
