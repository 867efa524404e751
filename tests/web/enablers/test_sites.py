"""Sites are listed, added and corrected in the app (not only in Django's admin), with
validation, an audit record and the stale-edit check; a workstream lead cannot edit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.core.models import ChangeRecord
from stpkit.web.enablers.models import Organisation, Site


@pytest.fixture
def site(demo_partnership: None) -> Site:
    org = Organisation.objects.create(code="RPA", name="Medway NHS Foundation Trust", kind="acute")
    return Site.objects.create(code="RPA01", name="Medway Maritime", organisation=org)


def _data(site: Site, **changes: object) -> dict[str, object]:
    return {
        "code": site.code,
        "name": site.name,
        "organisation": site.organisation_id,
        "postcode": "",
        "version": site.version,
        **changes,
    }


def test_sites_are_listed_with_their_edit_link(
    site: Site, client_for: Callable[[Role], Client]
) -> None:
    page = client_for(Role.PROGRAMME_OFFICE).get(reverse("enablers:sites")).content.decode()
    assert "Medway Maritime" in page and reverse("enablers:site_edit", args=[site.pk]) in page
    assert "Add a site" in page


def test_edit_normalises_the_postcode_audits_and_refuses_a_stale_edit(
    site: Site, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("enablers:site_edit", args=[site.pk])
    bad = client.post(url, _data(site, postcode="ME7"))
    assert "Enter a full postcode" in bad.content.decode()
    good = client.post(url, _data(site, name="Medway Maritime Hospital", postcode="me7 5ny"))
    assert good.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.postcode, site.version) == ("Medway Maritime Hospital", "ME7 5NY", 2)
    assert ChangeRecord.objects.filter(content_type__model="site", object_id=str(site.pk)).exists()
    stale = client.post(url, _data(site, name="Someone else's name", version=1))
    assert stale.status_code == 200
    site.refresh_from_db()
    assert site.name == "Medway Maritime Hospital"


def test_add_a_site(site: Site, client_for: Callable[[Role], Client]) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    response = client.post(
        reverse("enablers:site_new"),
        {"code": "RPA02", "name": "Gillingham clinic", "organisation": site.organisation_id,
         "postcode": "ME8 0AB", "version": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert Site.objects.get(code="RPA02").postcode == "ME8 0AB"
    again = client.post(
        reverse("enablers:site_new"),
        {"code": "RPA02", "name": "Twice", "organisation": site.organisation_id, "version": ""},
    )
    assert again.status_code == 200 and Site.objects.filter(code="RPA02").count() == 1


def test_a_workstream_lead_cannot_edit_a_site(
    site: Site, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    response = client.post(reverse("enablers:site_edit", args=[site.pk]), _data(site, name="X"))
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.name == "Medway Maritime"
