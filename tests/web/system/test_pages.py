"""The system view's pages with the Django test client: content, downloads, forms, uploads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stpkit.system import england
from stpkit.system.synthetic import ae_file
from stpkit.web.accounts.roles import Role
from stpkit.web.system.models import Measure, MeasureValue, NationalImport

pytestmark = pytest.mark.django_db
Clients = Callable[[Role], Client]


def test_measures_list_shows_spc_icons_and_downloads(
    system_demo: None, client_for: Clients
) -> None:
    client = client_for(Role.BOARD_MEMBER)
    html = client.get(reverse("system:index")).content.decode()
    assert 'data-measure="ae_4hr"' in html
    assert "data-variation=" in html and "data-assurance=" in html
    assert "Add a measure" not in html  # board members read only
    csv = client.get(reverse("system:index"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Measure,Gap,Workstream")
    assert "A&E four-hour standard" in body
    xlsx = client.get(reverse("system:index"), {"format": "xlsx", "gap": "care_quality"})
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("system:index"), {"gap": "nonsense"}).status_code == 404


def test_measure_page_has_an_spc_chart_and_monthly_table(
    system_demo: None, client_for: Clients
) -> None:
    response = client_for(Role.ANALYST).get(reverse("system:measure", kwargs={"code": "ae_4hr"}))
    html = response.content.decode()
    assert 'id="spc-chart"' in html and "data-vega-spec" in html
    assert "Feb 2018" in html and "process limits" in html  # the last month ended by AS_AT
    csv = (
        client_for(Role.ANALYST)
        .get(reverse("system:measure", kwargs={"code": "ae_4hr"}), {"format": "csv"})
        .content.decode("utf-8-sig")
    )
    assert len(csv.strip().splitlines()) == 60  # heading and 59 months


def test_gaps_page_shows_three_gaps_with_rag(system_demo: None, client_for: Clients) -> None:
    html = client_for(Role.BOARD_MEMBER).get(reverse("system:gaps")).content.decode()
    for gap in ("health_wellbeing", "care_quality", "funding_efficiency"):
        assert f'id="gap-{gap}" data-gap-rag=' in html
    assert html.count('data-measure="') == Measure.objects.count()
    csv = client_for(Role.BOARD_MEMBER).get(reverse("system:gaps"), {"format": "csv"})
    assert csv.content.decode("utf-8-sig").startswith("Gap RAG,Measure")


def test_rating_page_names_category_and_mover(system_demo: None, client_for: Clients) -> None:
    html = client_for(Role.BOARD_MEMBER).get(reverse("system:rating")).content.decode()
    assert "data-category" in html and "February 2018" in html
    history = client_for(Role.BOARD_MEMBER).get(
        reverse("system:rating"), {"table": "history", "format": "csv"}
    )
    assert len(history.content.decode("utf-8-sig").strip().splitlines()) == 60


def test_entering_a_month_saves_plan_and_actual_audited(
    system_demo: None, client_for: Clients
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("system:values", kwargs={"code": "inequality_gap"})
    bad = client.post(url, {"period": "not a month", "planned": "x"})
    assert bad.status_code == 200 and "Enter a month" in bad.content.decode()
    empty = client.post(url, {"period": "2020-04"})
    assert "Enter a trajectory value" in empty.content.decode()
    response = client.post(url, {"period": "April 2020", "planned": "1.8", "actual": "1.75"})
    assert response.status_code == 302
    value = MeasureValue.objects.get(measure__code="inequality_gap", period=date(2020, 4, 1))
    assert (value.planned, value.actual, value.actual_source) == (1.8, 1.75, "entered")
    # a stale version is refused, not overwritten
    stale = client.post(
        url, {"period": "2020-04", "actual": "9", "version": str(value.version - 1 or 99)}
    )
    assert "after you opened it" in stale.content.decode()
    value.refresh_from_db()
    assert value.actual == 1.75


def test_board_member_cannot_enter_values(system_demo: None, client_for: Clients) -> None:
    url = reverse("system:values", kwargs={"code": "ae_4hr"})
    assert (
        client_for(Role.BOARD_MEMBER).post(url, {"period": "2020-04", "actual": "1"}).status_code
        == 403
    )


def test_adding_and_editing_a_measure(demo_partnership: None, client_for: Clients) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    data = {
        "code": "smoking_quit",
        "name": "Smoking quitters",
        "unit": "count",
        "source": "manual",
        "frequency": "monthly",
        "polarity": "higher",
        "gap": "health_wellbeing",
        "target": "100",
    }
    assert client.post(reverse("system:measure_new"), data).status_code == 302
    national = {**data, "code": "from_file", "source": "national"}
    html = client.post(reverse("system:measure_new"), national).content.decode()
    assert "needs its layout" in html
    measure = Measure.objects.get(code="smoking_quit")
    edit = reverse("system:measure_edit", kwargs={"code": "smoking_quit"})
    response = client.post(edit, {**data, "target": "120", "version": str(measure.version)})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.target == 120 and measure.version == 2


def test_upload_loads_refuses_and_replaces(demo_partnership: None, client_for: Clients) -> None:
    from stpkit.demo.system import load_measures

    load_measures()
    client = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("system:national")
    content = ae_file(date(2017, 1, 1), england(providers=4, commissioners=2)).encode()

    def post(text: bytes, **extra: str) -> str:
        upload = SimpleUploadedFile("Monthly-AE-January-2017.csv", text, content_type="text/csv")
        return client.post(url, {"file": upload, **extra}, follow=True).content.decode()

    assert "Loaded Monthly-AE-January-2017.csv" in post(content)
    assert "already loaded" in post(content)
    assert "Replaced Monthly-AE-January-2017.csv" in post(content, replace="on")
    assert NationalImport.objects.count() == 1
    broken = content.replace(b"Attendances over 4hrs Type 1", b"Breaches T1")
    html = post(broken)
    assert "Nothing was loaded" in html and "missing columns" in html
    assert "Monthly-AE-January-2017.csv" in html


def test_cached_summaries_follow_a_new_value(system_demo: None, client_for: Clients) -> None:
    from stpkit.web.system import services

    client = client_for(Role.BOARD_MEMBER)
    client.get(reverse("system:gaps"))  # fills the cache
    measure = Measure.objects.get(code="inequality_gap")
    services.save_value(
        measure=measure, period=date(2020, 4, 1), planned=None, actual=123.45, user=None
    )
    html = client.get(reverse("system:index")).content.decode()
    assert "123.5" in html and "Apr 2020" in html


def test_api_serves_measures_and_one_measure_series(system_demo: None, client_for: Clients) -> None:
    client = client_for(Role.ANALYST)
    url = reverse("system:api_measures")
    listing = client.get(url).json()["measures"]
    assert len(listing) == Measure.objects.count()
    ae = next(m for m in listing if m["code"] == "ae_4hr")
    assert ae["latest_period"] == "2018-02-01" and ae["rag"] in {"green", "amber", "red"}
    one = client.get(url, {"code": "ae_4hr"}).json()
    assert len(one["months"]) == 59 and one["spc"]["upper_limit"] > one["spc"]["mean"]
    assert client.get(url, {"code": "nope"}).status_code == 404
    assert client_for(Role.DATA_CONTROLLER).get(url).status_code == 403


def test_benefits_register_realised_from_the_measure(
    demo_partnership: None, client_for: Clients
) -> None:
    from stpkit.demo.system import load_benefits, load_measures
    from stpkit.web.programme.models import Workstream
    from stpkit.web.system import services

    Workstream.objects.get_or_create(
        slug="hospital-care", defaults={"name": "Hospital care", "kind": "transformation"}
    )
    load_measures()
    load_benefits()
    ae = Measure.objects.get(code="ae_4hr")
    for month, actual in ((date(2015, 4, 1), 88.0), (date(2015, 5, 1), 92.0)):
        services.save_value(measure=ae, period=month, planned=None, actual=actual, user=None)
    client = client_for(Role.PROGRAMME_OFFICE)
    html = client.get(reverse("system:benefits")).content.decode()
    assert 'data-benefit="four-hour-standard"' in html
    row = next(r for r in services.benefit_rows() if r["slug"] == "four-hour-standard")
    assert row["realised"] == 3.0 and row["progress"] == 50.0  # 89 to 92 of 89 to 95
    csv = client.get(reverse("system:benefits"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "The A&E four-hour standard restored" in csv
    edit = reverse("system:benefit_edit", kwargs={"slug": "four-hour-standard"})
    benefit_data = {
        "name": "Four hours",
        "workstream": str(Workstream.objects.get(slug="hospital-care").pk),
        "measure": str(ae.pk),
        "baseline": "89",
        "target": "95",
        "baseline_month": "2017-04",
        "target_month": "2016-04",
    }
    assert "must not be before" in client.post(edit, benefit_data).content.decode()
    assert client.post(edit, {**benefit_data, "target_month": "2021-03"}).status_code == 302
