"""Slippage recorded on the page moves the forecast; consultation details and decision."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.models import Consultation
from stpkit.web.core.audit import history_for
from stpkit.web.decisions import demo, workflow
from stpkit.web.decisions.models import Option, Programme


@pytest.fixture
def office(db: None) -> User:
    return User.objects.create(username="pmo", role=Role.PROGRAMME_OFFICE.value)


@pytest.fixture
def prog(office: User) -> Programme:
    prog = workflow.create_programme("Stroke", "stroke-test", "stroke")
    demo.load_timeline(prog, office)
    return prog


def test_a_recorded_slip_moves_scenario_1_but_not_scenario_2(prog: Programme, office: User) -> None:
    client = Client()
    client.force_login(office)
    url = reverse("decisions:timeline", args=[prog.slug])
    page = client.post(url, {"task": "cs_panel", "forecast_start": "2017-11-30"}, follow=True)
    assert "needs a reason" in page.content.decode()
    client.post(
        url, {"task": "cs_panel", "forecast_start": "2017-11-30", "reason": "Panel date moved"}
    )
    task = prog.tasks.get(key="cs_panel")
    assert task.forecast_start == date(2017, 11, 30)
    record = history_for(task).first()
    assert record is not None and record.changes["forecast_start"] == [None, "2017-11-30"]
    ends = {sc.key: (fc.forecast_end, fc.end_slip_days) for sc, _, fc in workflow.schedules(prog)}
    assert ends == {"one_ic": (date(2018, 2, 10), 9), "two_ic": (date(2018, 3, 8), 0)}
    html = client.get(url).content.decode()
    assert "10/02/2018" in html and "(+9 days)" in html


def test_consultation_link_and_decision(prog: Programme, office: User) -> None:
    Consultation.objects.create(
        title="Stroke consultation 2018", slug="stroke-2018", programme_slug=prog.slug, survey={}
    )
    assert workflow.facts(prog)["consultation_analysis"] is True
    client = Client()
    client.force_login(office)
    url = reverse("decisions:consultation", args=[prog.slug])
    html = client.get(url).content.decode()
    assert 'href="/consultation/stroke-2018/"' in html
    version = prog.version
    form = {"action": "period", "version": str(version), "starts": "2018-03-08"}
    page = client.post(url, {**form, "ends": "2018-02-01"}, follow=True).content.decode()
    assert "cannot end before it starts" in page
    client.post(url, {**form, "ends": "2018-06-01"})
    prog.refresh_from_db()
    assert prog.consultation_ends == date(2018, 6, 1)
    # a second edit from the page opened before the first saved is refused, not merged
    page = client.post(url, {**form, "ends": "2018-07-01"}, follow=True).content.decode()
    assert "after you opened it" in page
    prog.refresh_from_db()
    assert prog.consultation_ends == date(2018, 6, 1)
    option = Option.objects.create(programme=prog, code="B", name="Option B", reached="preferred")
    page = client.post(url, {"action": "decision", "option": "B"}, follow=True).content.decode()
    assert "needs its date" in page
    client.post(
        url,
        {"action": "decision", "option": "B", "decided_on": "2019-02-14", "conditions": "Phased"},
    )
    assert prog.decision.option == option and prog.decision.conditions == "Phased"
    assert workflow.facts(prog)["decision"] is True
