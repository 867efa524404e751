"""Loading returns through the page, editing with validation and the stale-edit check,
and raising and answering requests between workstreams."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stpkit.enablers.importers import BUILDING_COLUMNS, STAFF_COLUMNS
from stpkit.web.accounts.roles import Role
from stpkit.web.core.models import ChangeRecord
from stpkit.web.enablers.models import (
    Building,
    Organisation,
    ResourceLimit,
    ReturnLoad,
    Site,
    StaffRecord,
    WorkstreamRequest,
)
from stpkit.web.programme.models import Workstream

SITES = b"site_code,site_name,organisation_code,postcode\nRPA01,Medway Maritime Hospital,RPA,\n"
B_HEAD = ",".join(c.name for c in BUILDING_COLUMNS)
GOOD_B = "RPA01,RPA01-B1,Main,acute,freehold,Medway,1000,B,0,0,0,0,300,80,0,N,0,"


@pytest.fixture
def orgs(demo_partnership: None) -> None:
    Organisation.objects.create(code="RPA", name="Medway NHS Foundation Trust", kind="acute")


def _post_return(client: Client, kind: str, first: bytes, second: bytes, year: int = 2017):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("enablers:returns"),
        {
            "kind": kind,
            "year": year,
            "first": SimpleUploadedFile("first.csv", first),
            "second": SimpleUploadedFile("second.csv", second),
        },
    )


def test_good_estates_return_loads_once(orgs: None, client_for: Callable[[Role], Client]) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    response = _post_return(client, "estates", SITES, f"{B_HEAD}\n{GOOD_B}\n".encode())
    assert response.status_code == 302
    assert Building.objects.get().site.name == "Medway Maritime Hospital"
    again = _post_return(client, "estates", SITES, f"{B_HEAD}\n{GOOD_B}\n".encode())
    assert again.status_code == 200
    assert "the estates return for 2017 is already loaded" in again.content.decode()
    assert Building.objects.count() == 1 and ReturnLoad.objects.count() == 1


def test_bad_workforce_return_lists_every_problem_and_loads_nothing(
    orgs: None, client_for: Callable[[Role], Client]
) -> None:
    staff = "\n".join(
        [
            ",".join(c.name for c in STAFF_COLUMNS),
            "P1,RPA,nursing,5,1.0,40",
            "P2,RPA,porters,5,1.0,40",
            "P3,XYZ,nursing,5,1.0,40",
            "P4,RPA,nursing,5,-0.5,40",
        ]
    ).encode()
    measures = b"organisation_code,staff_group,vacancies_wte,leavers_wte\nRPA,nursing,1,1\n"
    response = _post_return(client_for(Role.PROGRAMME_OFFICE), "workforce", staff, measures)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Nothing was loaded: 3 problem(s)" in html
    assert "unknown staff group 'porters'" in html
    assert "unknown organisation" in html and "-0.5 is negative" in html
    assert StaffRecord.objects.count() == 0 and ReturnLoad.objects.count() == 0


def test_wrong_file_type_is_refused(orgs: None, client_for: Callable[[Role], Client]) -> None:
    response = client_for(Role.PROGRAMME_OFFICE).post(
        reverse("enablers:returns"),
        {
            "kind": "estates",
            "year": 2017,
            "first": SimpleUploadedFile("sites.pdf", b"%PDF"),
            "second": SimpleUploadedFile("b.csv", b"x"),
        },
    )
    assert "Upload a CSV (.csv) or Excel (.xlsx) file" in response.content.decode()


def _building() -> Building:
    org = Organisation.objects.get(code="RPA")
    site = Site.objects.create(code="S1", name="Medway Maritime Hospital", organisation=org)
    return Building.objects.create(
        year=2017,
        site=site,
        code="B1",
        name="Main",
        use="acute",
        tenure="freehold",
        owner="Medway",
        floor_area_m2=1000,
        condition="B",
        running_cost_per_m2=300,
        utilisation_pct=80,
    )


def _building_data(b: Building, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": b.name,
        "use": b.use,
        "tenure": b.tenure,
        "owner": b.owner,
        "floor_area_m2": b.floor_area_m2,
        "condition": b.condition,
        "backlog_high": 0,
        "backlog_significant": 0,
        "backlog_moderate": 0,
        "backlog_low": 0,
        "running_cost_per_m2": b.running_cost_per_m2,
        "utilisation_pct": b.utilisation_pct,
        "void_m2": 0,
        "disposal_receipt": 0,
        "shared_with": "",
        "version": b.version,
    }
    data.update(changes)
    return data


def test_building_edit_validates_audits_and_refuses_a_stale_edit(
    orgs: None, client_for: Callable[[Role], Client]
) -> None:
    b = _building()
    client = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("enablers:building_edit", args=[b.pk])
    bad = client.post(url, _building_data(b, floor_area_m2=-5, utilisation_pct=120))
    html = bad.content.decode()
    assert "Enter 0 or more" in html and "Enter a percentage from 0 to 100" in html
    ok = client.post(url, _building_data(b, utilisation_pct=40))
    assert ok.status_code == 302
    b.refresh_from_db()
    assert b.utilisation_pct == 40 and b.version == 2
    record = ChangeRecord.objects.filter(object_id=str(b.pk)).latest("at")
    assert record.changes["utilisation_pct"] == [80.0, 40.0]
    stale = client.post(url, _building_data(b, utilisation_pct=50, version=1))
    assert stale.status_code == 200 and "reload the page" in stale.content.decode()
    b.refresh_from_db()
    assert b.utilisation_pct == 40


def test_a_workstream_lead_cannot_edit_a_building(
    orgs: None, client_for: Callable[[Role], Client]
) -> None:
    b = _building()
    response = client_for(Role.WORKSTREAM_LEAD).post(
        reverse("enablers:building_edit", args=[b.pk]), _building_data(b, utilisation_pct=1)
    )
    assert response.status_code == 403
    b.refresh_from_db()
    assert b.utilisation_pct == 80


def test_raise_and_answer_a_request(
    demo_partnership: None,
    client_for: Callable[[Role], Client],
    user_with_role,  # type: ignore[no-untyped-def]
) -> None:
    hospital = Workstream.objects.get(slug="hospital-care")
    estates = Workstream.objects.get(slug="estates")
    lead = user_with_role(Role.WORKSTREAM_LEAD)
    hospital.lead = lead
    hospital.save()
    lead_client = client_for(Role.WORKSTREAM_LEAD)
    # the lead may only raise from their own workstream, and only of an enabling one
    refused = lead_client.post(
        reverse("enablers:request_new"),
        {
            "from_workstream": Workstream.objects.get(slug="prevention").pk,
            "to_workstream": estates.pk,
            "title": "x",
            "needed_by": "2018-06-01",
        },
    )
    assert refused.status_code == 200 and WorkstreamRequest.objects.count() == 0
    to_self = lead_client.post(
        reverse("enablers:request_new"),
        {
            "from_workstream": hospital.pk,
            "to_workstream": hospital.pk,
            "title": "x",
            "needed_by": "2018-06-01",
        },
    )
    assert to_self.status_code == 200 and WorkstreamRequest.objects.count() == 0
    made = lead_client.post(
        reverse("enablers:request_new"),
        {
            "from_workstream": hospital.pk,
            "to_workstream": estates.pk,
            "title": "Site surveys",
            "detail": "Three sites",
            "needed_by": "01/06/2018",
        },
    )
    assert made.status_code == 302
    req = WorkstreamRequest.objects.get()
    assert req.needed_by == date(2018, 6, 1) and req.status == "open"
    url = reverse("enablers:request", args=[req.pk])
    # the hospital lead does not lead estates: cannot answer
    assert lead_client.post(url, {"status": "planned", "version": 1}).status_code == 403
    office = client_for(Role.PROGRAMME_OFFICE)
    no_reason = office.post(url, {"status": "declined", "response": "", "version": 1})
    assert "Say why the request is declined" in no_reason.content.decode()
    answered = office.post(url, {"status": "planned", "response": "Q2 surveys", "version": 1})
    assert answered.status_code == 302
    req.refresh_from_db()
    assert req.status == "planned" and req.answered_at is not None and req.version == 2


def test_setting_a_limit_twice_changes_it(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("enablers:limit_new")
    for amount in (100, 250):
        r = client.post(url, {"resource": "money", "period": "2018/19", "amount": amount})
        assert r.status_code == 302
    assert ResourceLimit.objects.get().amount == 250
    bad = client.post(url, {"resource": "money", "period": "2018/19", "amount": -1})
    assert "Enter 0 or more" in bad.content.decode()


def test_assumptions_must_be_ordered(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    data = {
        f"{n}_{w}": v
        for n in ("training", "recruitment", "retirement", "turnover", "growth")
        for w, v in (("low", 0.1), ("central", 0.2), ("high", 0.3))
    }
    data["turnover_low"] = 0.5
    url = reverse("enablers:assumption_edit", args=["nursing"])
    bad = client_for(Role.PROGRAMME_OFFICE).post(url, data)
    assert "Low must not exceed central" in bad.content.decode()
    data["turnover_low"] = 0.05
    assert client_for(Role.PROGRAMME_OFFICE).post(url, data).status_code == 302
