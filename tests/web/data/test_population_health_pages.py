"""Population health pages: inequalities, risk, demand, capitation; gaps on existing pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.demo.data import load_purposes
from stpkit.kid.governed import Governance, governance_dir
from stpkit.kid.sources import SampleSpec, write_sample
from stpkit.web.accounts.roles import Role


@pytest.fixture(scope="session")
def ph_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(
        tmp_path_factory.mktemp("kid") / "sample", SampleSpec(people=3_000, practices=20)
    )


@pytest.fixture
def approved(
    tmp_path: Path, ph_sample: Path, monkeypatch: pytest.MonkeyPatch, demo_partnership: None
) -> Iterator[Governance]:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    (tmp_path / "kid").mkdir()
    (tmp_path / "kid" / "sample").symlink_to(ph_sample)
    load_purposes(analyst="test-analyst", controller="test-data_controller")
    yield Governance(governance_dir(tmp_path))


def _people(csv: str, column: int) -> list[str]:
    return [line.split(",")[column] for line in csv.splitlines()[1:]]


def test_population_health_pages_show_protected_figures_and_are_logged(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    html = client.get(reverse("data:inequalities")).content.decode()
    assert "Slope index of inequality" in html and "1 (most deprived)" in html
    assert approved.entries()[-1].what == "page inequalities"
    html = client.get(reverse("data:risk"), {"by": "practice_code"}).content.decode()
    assert "area under the ROC curve" in html and "Very high (top 0.5%)" in html
    assert "Calibration on the held-out period" in html
    html = client.get(reverse("data:demand"), {"view": "locality"}).content.decode()
    assert "Beds at 92% occupancy" in html and "Every assumption" in html
    assert "Length of stay, emergency, 65 and over (days)" in html and "Medway" in html
    html = client.get(reverse("data:capitation")).content.decode()
    assert "Needs-weighted budget" in html and "ACF01" in html
    for name in ("data:inequalities", "data:risk", "data:demand", "data:capitation"):
        assert "_" not in client.get(reverse(name)).content.decode().split("<h1>")[1][:80]


def test_downloads_pass_the_policy(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.ANALYST)
    csv = client.get(reverse("data:risk"), {"by": "practice_code", "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("GP practice,People,Very high")
    cells = [c for line in text.splitlines()[1:] for c in line.split(",")[1:6]]
    assert cells and all(c == "" or int(c) == 0 or (int(c) > 7 and int(c) % 5 == 0) for c in cells)
    assert approved.entries()[-1].what == "page risk practice_code download"
    csv = client.get(reverse("data:inequalities"), {"population": "65+", "format": "csv"})
    people = _people(csv.content.decode("utf-8-sig"), 1)
    assert len(people) == 5 and all(p == "" or int(p) % 5 == 0 for p in people)
    xlsx = client.get(reverse("data:demand"), {"view": "condition", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_demand_ranges_from_the_form_change_the_result(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    none = client.get(reverse("data:demand"), {"avoided_low": 0, "avoided_high": 0})
    more = client.get(reverse("data:demand"), {"avoided_low": 40, "avoided_high": 40})
    assert "+0.0% to +0.0%" in none.content.decode()
    assert "+40.0% to +40.0%" in more.content.decode()
    assert none.content != more.content


def test_long_tables_are_paged(approved: Governance, client_for: Callable[[Role], Client]) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    html = client.get(reverse("data:demand"), {"view": "condition"}).content.decode()
    assert "page 1 of" in html and "page=2" in html
    second = client.get(reverse("data:demand"), {"view": "condition", "page": 2}).content.decode()
    assert "page 2 of" in second


def test_gaps_on_the_population_page_and_workstream_views(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    from stpkit.web.data.views.workstreams import WORKSTREAM_GAPS

    client = client_for(Role.WORKSTREAM_LEAD)
    html = client.get(reverse("data:population")).content.decode()
    assert "Most and least deprived" in html and "in the most deprived fifth" in html
    for slug in WORKSTREAM_GAPS:
        html = client.get(reverse("data:workstream", args=[slug])).content.decode()
        assert "Most and least deprived" in html, slug


def test_the_api_answers_each_output_protected_and_logged(approved: Governance, db: None) -> None:
    from stpkit.web.accounts.models import User
    from stpkit.web.data.models import ApiToken

    user, _ = User.objects.get_or_create(
        username="test-analyst", defaults={"role": Role.ANALYST.value}
    )  # the owner of the fixture's purposes
    _t, secret = ApiToken.issue(user, "population-dashboards", "Power BI")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    api = "/data/api/v1/"
    body = Client().get(api + "inequalities?population=65%2B", **headers).json()  # type: ignore[arg-type]
    assert body["quintiles"][0]["quintile"] == "1 (most deprived)", body
    assert all(q["people"] is None or q["people"] % 5 == 0 for q in body["quintiles"])
    assert approved.entries()[-1].what == f"inequalities 65+ {body['year']}"
    body = Client().get(api + "risk?by=practice_code", **headers).json()  # type: ignore[arg-type]
    assert 0.5 < body["auc"] <= 1 and body["tiers"]
    body = Client().get(api + "demand?view=locality", **headers).json()  # type: ignore[arg-type]
    assert {r["scenario"] for r in body["rows"]} == {"baseline", "local care"}
    assert len(body["assumptions"]) == 15
    body = Client().get(api + "capitation?footprint=community_hub", **headers).json()  # type: ignore[arg-type]
    assert body["groups"] and all(
        g["people"] is None or g["people"] % 5 == 0 for g in body["groups"]
    )
    bad = Client().get(api + "risk?by=lsoa_code", **headers)  # type: ignore[arg-type]
    assert bad.status_code == 400 and "by must be one of" in bad.json()["error"]
    document = Client().get(api + "openapi.json").json()
    assert {"/inequalities", "/risk", "/demand", "/capitation"} <= set(document["paths"])
