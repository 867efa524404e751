"""Data pages over a real (sample) store: governance gates, disclosure, logging, downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.demo.data import load_purposes
from stpkit.kid.governed import Governance, governance_dir
from stpkit.kid.sources import SampleSpec, write_sample
from stpkit.web.accounts.roles import Role
from stpkit.web.data import services


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(
        tmp_path_factory.mktemp("kid") / "sample", SampleSpec(people=4_000, practices=30)
    )


@pytest.fixture
def data_dir(tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    (tmp_path / "kid").mkdir()
    (tmp_path / "kid" / "sample").symlink_to(sample_dir)
    yield tmp_path


@pytest.fixture
def approved(data_dir: Path, demo_partnership: None) -> Governance:
    load_purposes(analyst="test-analyst", controller="test-data_controller")
    return Governance(governance_dir(data_dir))


PAGES = [
    "data:population",
    "data:segments",
    "data:costs",
    "data:trends",
    "data:practices",
    "data:projection",
    "data:tiers",
]


@pytest.mark.slow
def test_every_population_page_shows_figures_and_is_logged(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert b"data-vega-spec" in response.content, name
    logged = [e.what for e in approved.entries() if e.action == "query"]
    assert {w.split()[1] for w in logged} >= {
        "population",
        "segments",
        "costs",
        "trends",
        "practices",
        "projection",
        "tiers",
    }
    assert approved.verify_log().ok


def test_without_an_approved_purpose_the_pages_show_no_figures(
    data_dir: Path, demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    html = client_for(Role.ANALYST).get(reverse("data:segments")).content.decode()
    assert "has not been requested" in html and "data-vega-spec" not in html


def test_an_expired_purpose_blocks_the_pages(
    approved: Governance, client_for: Callable[[Role], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    purpose = approved.purpose(services.DASHBOARD_PURPOSE)
    later = purpose.expires + timedelta(days=1)
    original = services.dashboard_access
    monkeypatch.setattr(services, "dashboard_access", lambda today=None: original(later))
    html = client_for(Role.ANALYST).get(reverse("data:trends")).content.decode()
    assert "expired on" in html and "data-vega-spec" not in html


def test_segment_download_suppresses_small_groups(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    response = client_for(Role.ANALYST).get(
        reverse("data:segments") + "?scheme=yoc_band&format=csv"
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    people = [line.split(",")[1] for line in lines[1:]]
    assert all(p == "" or (int(p) > 7 and int(p) % 5 == 0) for p in people)
    assert approved.entries()[-1].what.endswith("download")


def test_cost_page_by_locality_and_lsoa_download_is_protected_and_logged(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.WORKSTREAM_LEAD)
    html = client.get(reverse("data:costs"), {"by": "locality"}).content.decode()
    assert "Medway" in html and "Maidstone" in html and "data-vega-spec" in html
    response = client.get(reverse("data:costs"), {"by": "lsoa_code", "format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("LSOA,Registered people,Total cost")
    cells = [line.split(",") for line in lines[1:]]
    # 4,000 people over 1,065 LSOAs: small areas are suppressed with their cost hidden.
    assert any(c[1] == "" and c[2] == "" for c in cells)
    assert all(c[1] == "" or (int(c[1]) > 7 and int(c[1]) % 5 == 0) for c in cells)
    whats = [e.what for e in approved.entries()[-2:]]
    assert whats == ["page costs locality", "page costs lsoa_code download"]


def test_only_the_data_controller_approves_purposes(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    analyst = client_for(Role.ANALYST)
    form = {
        "action": "request",
        "key": "my-study",
        "title": "My study",
        "expires": "2099-01-01",
        "table_person": "1",
    }
    assert analyst.post(reverse("data:purposes"), form).status_code == 302
    assert approved.purpose("my-study").status == "requested"
    html = analyst.post(
        reverse("data:purposes"), {"action": "approve", "key": "my-study"}
    ).content.decode()
    assert "Only the data controller" in html
    assert approved.purpose("my-study").status == "requested"
    controller = client_for(Role.DATA_CONTROLLER)
    assert (
        controller.post(
            reverse("data:purposes"), {"action": "approve", "key": "my-study"}
        ).status_code
        == 302
    )
    assert approved.purpose("my-study").status == "approved"
    audit = controller.get(reverse("data:audit")).content.decode()
    assert "The chain verifies" in audit and "my-study" in audit


def test_the_audit_page_reports_tampering(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    log = approved.root / "audit.jsonl"
    log.write_text(
        log.read_text()
        .replace('"controller', '"intruder', 1)
        .replace('"test-data_controller', '"intruder', 1)
    )
    html = client_for(Role.DATA_CONTROLLER).get(reverse("data:audit")).content.decode()
    assert "tampered with" in html


def test_governed_query_page_refuses_a_purpose_the_user_does_not_hold(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.ANALYST)
    html = client.get(
        reverse("data:query"),
        {"purpose": "population-dashboards", "table": "person", "group_by": "sex"},
    ).content.decode()
    assert "Answer" in html
    other = client_for(Role.DATA_CONTROLLER)
    html = other.get(
        reverse("data:query"),
        {"purpose": "population-dashboards", "table": "person", "group_by": "sex"},
    ).content.decode()
    assert "does not work under" in html
    assert approved.entries()[-1].action == "refused"


def test_hospital_care_view_shows_stroke_admissions_by_site(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    html = (
        client_for(Role.PROGRAMME_OFFICE)
        .get(reverse("data:workstream", args=["hospital-care"]))
        .content.decode()
    )
    assert "Stroke admissions by nearest stroke unit" in html and "Maidstone" in html


def test_every_workstream_with_a_store_view_shows_protected_tables_and_logs_them(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    from stpkit.web.data.views import WORKSTREAM_TABLES

    client = client_for(Role.WORKSTREAM_LEAD)
    for slug, tables in WORKSTREAM_TABLES.items():
        html = client.get(reverse("data:workstream", args=[slug])).content.decode()
        for title, _, _ in tables:
            assert title in html, (slug, title)
        assert approved.entries()[-1].what == f"page workstream {slug}"
    response = client.get(reverse("data:workstream", args=["productivity"]), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Provider,Setting,People,Contacts,Cost (GBP)"
    people = [line.split(",")[2] for line in lines[1:]]
    assert people and all(p == "" or (int(p) > 7 and int(p) % 5 == 0) for p in people)
    assert approved.entries()[-1].what == "page workstream productivity download"


def test_a_purpose_request_with_a_bad_date_or_an_unknown_action_is_refused(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    analyst = client_for(Role.ANALYST)
    form = {"action": "request", "key": "bad-date", "title": "Bad", "expires": "next year"}
    response = analyst.post(reverse("data:purposes"), form)
    assert response.status_code == 200
    assert "Expiry date: enter a date as YYYY-MM-DD" in response.content.decode()
    assert "bad-date" not in {p.key for p in approved.purposes()}
    html = analyst.post(reverse("data:purposes"), {"action": "delete", "key": "x"})
    assert "Unknown action." in html.content.decode()


def test_a_token_is_issued_only_for_a_purpose_the_user_works_under_and_can_be_revoked(
    approved: Governance, client_for: Callable[[Role], Client]
) -> None:
    from stpkit.web.data.models import ApiToken

    analyst = client_for(Role.ANALYST)
    html = analyst.post(
        reverse("data:tokens"), {"purpose": "someone-elses", "label": "x"}
    ).content.decode()
    assert "Choose a purpose you work under" in html
    assert not ApiToken.objects.exists()
    html = analyst.post(
        reverse("data:tokens"), {"purpose": "frailty-costs", "label": "  Power BI  "}
    ).content.decode()
    token = ApiToken.objects.get()
    assert token.label == "Power BI" and token.purpose == "frailty-costs"
    assert 'id="new-token"' in html
    assert approved.entries()[-1].what == "API token 'Power BI' issued"
    response = analyst.post(reverse("data:tokens"), {"action": "revoke", "token": str(token.pk)})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
