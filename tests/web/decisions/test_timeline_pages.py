"""Slippage recorded on the page moves the forecast; consultation details and decision."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.demo import decisions as demo
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.models import Consultation
from stpkit.web.core.audit import history_for
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Decision, Option, Programme, Stage


@pytest.fixture
def office(db: None) -> User:
    return User.objects.create(username="pmo", role=Role.PROGRAMME_OFFICE.value)


@pytest.fixture
def prog(office: User) -> Programme:
    prog = services.create_programme(name="Stroke", slug="stroke-test", process_key="stroke")
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
    ends = {sc.key: (fc.forecast_end, fc.end_slip_days) for sc, _, fc in services.schedules(prog)}
    assert ends == {"one_ic": (date(2018, 2, 10), 9), "two_ic": (date(2018, 3, 8), 0)}
    html = client.get(url).content.decode()
    assert "10/02/2018" in html and "(+9 days)" in html


def test_consultation_link_and_decision(prog: Programme, office: User) -> None:
    Consultation.objects.create(
        title="Stroke consultation 2018", slug="stroke-2018", programme_slug=prog.slug, survey={}
    )
    assert services.facts(prog)["consultation_analysis"] is True
    client = Client()
    client.force_login(office)
    url = reverse("decisions:consultation", args=[prog.slug])
    html = client.get(url).content.decode()
    assert 'href="/consultation/stroke-2018/"' in html
    version = prog.version
    form = {"action": "period", "version": str(version), "starts": "2018-03-08"}
    page = client.post(url, {**form, "ends": "2018-02-01"}, follow=True).content.decode()
    assert "cannot end (01/02/2018) before it starts (08/03/2018)" in page
    client.post(url, {**form, "ends": "2018-06-01"})
    prog.refresh_from_db()
    assert prog.consultation_ends == date(2018, 6, 1)
    # a second edit from the page opened before the first saved is refused, not merged
    page = client.post(url, {**form, "ends": "2018-07-01"}, follow=True).content.decode()
    assert "after you opened it" in page
    prog.refresh_from_db()
    assert prog.consultation_ends == date(2018, 6, 1)
    # a one-sided period is refused too
    page = client.post(
        url, {"action": "period", "version": str(prog.version), "starts": "2018-03-08"}, follow=True
    ).content.decode()
    assert "needs both its start and its end" in page


def test_the_decision_is_recorded_only_in_its_stage(prog: Programme, office: User) -> None:
    option = Option.objects.create(programme=prog, code="B", name="Option B", reached="preferred")
    Option.objects.create(programme=prog, code="Z", name="Option Z", reached="long")
    client = Client()
    client.force_login(office)
    url = reverse("decisions:consultation", args=[prog.slug])
    form = {"action": "decision", "option": "B", "decided_on": "2019-02-14"}
    page = client.post(url, form, follow=True).content.decode()
    assert "has not started" in page  # the programme is at its case for change
    assert not Decision.objects.filter(programme=prog).exists()
    # Setting up state, not the rule under test: every stage before the decision signed off.
    Stage.objects.filter(programme=prog).exclude(key="decision").update(signed_off=True)
    page = client.post(url, {**form, "decided_on": ""}, follow=True).content.decode()
    assert "needs its date" in page
    page = client.post(url, {**form, "option": "Z"}, follow=True).content.decode()
    assert "was not on the short list that was evaluated" in page
    client.post(url, {**form, "conditions": "Phased over two years"})
    assert prog.decision.option == option and prog.decision.conditions == "Phased over two years"
    assert services.facts(prog)["decision"] is True
    # the consultation stage is signed off: its period can no longer change
    prog.refresh_from_db()
    period = {"action": "period", "version": str(prog.version), "reference": "Analysis v2"}
    page = client.post(url, period, follow=True).content.decode()
    assert "which is signed off: reopen it" in page
    prog.refresh_from_db()
    assert prog.consultation_reference == ""
    # once the decision stage itself is signed off the record is closed
    Stage.objects.filter(programme=prog, key="decision").update(signed_off=True)
    page = client.post(url, {**form, "option": "B", "conditions": "Changed"}, follow=True)
    assert "signed off: reopen it" in page.content.decode()
    prog.decision.refresh_from_db()
    assert prog.decision.conditions == "Phased over two years"
