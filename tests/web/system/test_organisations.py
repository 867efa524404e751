"""The ODS organisation list: loaded from NHS Digital's files (web page and CLI), whole or
not at all; a real-layout national file naming its trusts then imports, and only the
partnership's members add up to its figure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from stpkit.system import NationalFileError, Organisation
from stpkit.system.ods import read_ods_file
from stpkit.system.synthetic import ae_file
from stpkit.web.accounts.roles import Role
from stpkit.web.system import services
from stpkit.web.system.models import MeasureValue, OrganisationLoad, ProviderValue
from stpkit.web.system.models import Organisation as OdsRow
from tests.system.test_ods import ETR, ods_row

pytestmark = pytest.mark.django_db
Clients = Callable[[Role], Client]
JAN = date(2017, 1, 1)
# Real codes: two Kent and Medway trusts and one London trust (not in the built-in list).
REAL = [
    Organisation("RN7", "Dartford and Gravesham NHS Trust", "acute"),
    Organisation("RVV", "East Kent Hospitals University NHS Foundation Trust", "acute"),
    Organisation("RJ1", "Guy's and St Thomas' NHS Foundation Trust", "acute"),
]


@pytest.fixture
def measures() -> None:
    from stpkit.demo.system import load_measures

    load_measures()


def test_a_real_file_imports_once_its_trusts_are_loaded(measures: None) -> None:
    content = ae_file(JAN, REAL).encode()
    with pytest.raises(NationalFileError, match="'RJ1' is not known"):
        services.import_national_file(name="ae.csv", content=content, user=None)
    services.load_organisations([read_ods_file("etr.csv", ETR)], user=None)
    assert "RJ1" in services.known_orgs() and "ZAA" not in services.known_orgs()
    services.import_national_file(name="ae.csv", content=content, user=None)
    assert set(ProviderValue.objects.values_list("org_code", flat=True)) == {"RN7", "RVV", "RJ1"}
    # The partnership's figure adds up RN7 and RVV (health geography QKS), not RJ1 (QKK).
    km = ProviderValue.objects.filter(measure_code="ae_4hr", org_code__in=["RN7", "RVV"])
    expected = 100 * sum(v.numerator for v in km) / sum(v.denominator or 0 for v in km)
    actual = MeasureValue.objects.get(measure__code="ae_4hr", period=JAN).actual
    assert actual == pytest.approx(expected)
    assert set(OdsRow.objects.filter(partnership=True).values_list("code", flat=True)) == {
        "RN7",
        "RVV",
    }


def test_a_closed_trust_is_refused_for_a_later_month(measures: None) -> None:
    closed = ETR + ods_row("RN9", "A TRUST THAT CLOSED", "QKS", closed="20161231") + "\n"
    services.load_organisations([read_ods_file("etr.csv", closed)], user=None)
    orgs = [*REAL, Organisation("RN9", "A trust that closed", "acute")]
    with pytest.raises(NationalFileError, match="'RN9' closed on 31 Dec 2016"):
        services.import_national_file(name="ae.csv", content=ae_file(JAN, orgs).encode(), user=None)
    assert not ProviderValue.objects.exists()
    dec = date(2016, 12, 1)
    services.import_national_file(name="ae.csv", content=ae_file(dec, orgs).encode(), user=None)


def test_a_file_replaces_its_kind_and_membership_follows_the_rule(measures: None) -> None:
    services.load_organisations([read_ods_file("etr.csv", ETR)], user=None)
    sites = ods_row("RJ122", "ST THOMAS' HOSPITAL", "QKK", parent="RJ1") + "\n"
    services.load_organisations(
        [read_ods_file("ets.csv", sites)], user=None, geographies=["QKK"], codes=[]
    )
    members = set(OdsRow.objects.filter(partnership=True).values_list("code", flat=True))
    assert {"RJ1", "RJ122"} <= members  # by health geography QKK, the site with its parent
    # the built-in Kent and Medway codes stay members whatever the rule
    assert {"RN7", "RVV"} <= members
    services.load_organisations(
        [read_ods_file("etr.csv", ods_row("RJ1", "GSTT", "QKK"))], user=None
    )
    assert set(OdsRow.objects.filter(kind="trust").values_list("code", flat=True)) == {"RJ1"}
    assert OdsRow.objects.filter(kind="trust_site").count() == 1  # another kind: kept


def test_the_page_loads_a_file_or_lists_every_problem(
    demo_partnership: None, client_for: Clients
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("system:organisations")

    def post(name: str, text: str, **extra: str) -> str:
        upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
        return client.post(url, {"file": upload, **extra}, follow=True).content.decode()

    html = post("etr.csv", ETR + ods_row("RPA", "MEDWAY", "QKS", width=20) + "\n")
    assert "Nothing was loaded" in html and "20 fields" in html
    assert not OdsRow.objects.exists() and not OrganisationLoad.objects.exists()
    html = post("etr.csv", ETR, geographies="QKS")
    assert "Loaded etr.csv: 4 organisations" in html
    assert "GUY&#39;S AND ST THOMAS&#39; NHS FOUNDATION TRUST" not in html.split('id="members"')[1]
    assert "DARTFORD AND GRAVESHAM NHS TRUST" in html.split('id="members"')[1]
    html = post("trusts.csv", ETR)
    assert "names no kind" in html
    assert "Loaded trusts.csv" in post("trusts.csv", ETR, kind="etr")
    assert client_for(Role.BOARD_MEMBER).get(url).status_code == 403


def test_the_cli_loads_the_list_and_then_a_real_file(measures: None, tmp_path: Path) -> None:
    from stpkit.cli.main import app

    (tmp_path / "etr.csv").write_text(ETR)
    (tmp_path / "ae.csv").write_text(ae_file(JAN, REAL))
    runner = CliRunner()
    bad = tmp_path / "eccg.csv"
    bad.write_text(ods_row("09C", "NHS ASHFORD CCG", "QKS", opened="01/04/2013") + "\n")
    result = runner.invoke(app, ["system", "organisations", str(bad)])
    assert result.exit_code == 1 and "Open Date" in result.output
    assert not OdsRow.objects.exists()
    result = runner.invoke(app, ["system", "organisations", str(tmp_path / "etr.csv")])
    assert result.exit_code == 0, result.output
    assert "4 organisations" in result.output
    result = runner.invoke(app, ["system", "national", str(tmp_path / "ae.csv")])
    assert result.exit_code == 0, result.output
    assert "January 2017" in result.output
    assert ProviderValue.objects.filter(org_code="RJ1").exists()
