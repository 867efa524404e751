"""The read-only JSON API: token auth, purpose checks, and conformance to its OpenAPI document.

schemathesis generates requests from the document (valid and malformed parameters) and
checks every answer: no server errors, status codes and bodies as documented.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from stpkit.demo.data import load_purposes
from stpkit.kid.governed import Governance, governance_dir
from stpkit.kid.sources import SampleSpec, write_sample
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.data.models import ApiToken

schema = schemathesis.openapi.from_wsgi("/data/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(
        tmp_path_factory.mktemp("kid") / "sample",
        SampleSpec(people=2_000, practices=10, years=(2024,)),
    )


@pytest.fixture
def data_dir(tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    (tmp_path / "kid").mkdir()
    (tmp_path / "kid" / "sample").symlink_to(sample_dir)
    yield tmp_path


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Let schemathesis's plain WSGI calls share the test's database transaction.

    Django closes the database connection when a request starts and when it finishes; its
    test Client switches that off, a bare WSGI handler does not. On PostgreSQL the closed
    connection would take the test's transaction (and its token) with it.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(data_dir: Path, db: None) -> str:
    user = User.objects.create(username="bi-analyst", role=Role.ANALYST.value)
    load_purposes(analyst="bi-analyst", controller="dc")
    _t, secret = ApiToken.issue(user, "population-dashboards", "Power BI")
    return secret


def get(path: str, secret: str | None = None) -> tuple[int, dict[str, object]]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    response = Client().get(path, **headers)  # type: ignore[arg-type]
    return response.status_code, response.json()


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_document(case: schemathesis.Case, token: str) -> None:
    # The document cannot say which dimensions suit which table, nor forbid repeating one,
    # so a schema-valid request may rightly get 400: positive_data_acceptance is left out.
    # negative_data_rejection is left out too: it counts a case generated without the
    # bearer token as "invalid", but this test always sends the token, so such a case is
    # valid and rightly answered 200 (a known false positive: schemathesis issue 2898).
    # Malformed parameters and bad tokens are tested one by one below. Every other check
    # (no 5xx, documented status codes, bodies matching their schemas) runs.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


def test_missing_and_bad_tokens_get_401(token: str) -> None:
    status, body = get("/data/api/v1/aggregate?table=person")
    assert status == 401 and "Bearer" in str(body["error"])
    status, body = get("/data/api/v1/aggregate?table=person", "kid_not-a-real-token")
    assert status == 401 and "unknown or revoked" in str(body["error"])


def test_malformed_parameters_get_400_naming_the_problem(token: str) -> None:
    status, body = get("/data/api/v1/aggregate?table=person&group_by=nhs_number", token)
    assert status == 400 and "nhs_number" in str(body["error"])
    status, body = get("/data/api/v1/aggregate?table=person&filter=sex", token)
    assert status == 400 and "dimension:value1|value2" in str(body["error"])
    status, body = get("/data/api/v1/segments?year=abc", token)
    assert status == 400 and "year" in str(body["error"])


def test_answers_are_protected_and_logged(token: str, data_dir: Path) -> None:
    status, body = get(
        "/data/api/v1/aggregate?table=activity&group_by=practice_code,setting", token
    )
    assert status == 200
    cells = body["cells"]
    assert isinstance(cells, list) and cells
    assert all(c["people"] is None or (c["people"] > 7 and c["people"] % 5 == 0) for c in cells)
    gov = Governance(governance_dir(data_dir))
    last = gov.entries()[-1]
    assert (last.user, last.action, last.purpose) == (
        "bi-analyst",
        "api query",
        "population-dashboards",
    )


def test_a_revoked_purpose_or_token_stops_the_api(token: str, data_dir: Path) -> None:
    gov = Governance(governance_dir(data_dir))
    gov.decide("population-dashboards", approve=False, user="dc", role="data_controller")
    status, body = get("/data/api/v1/segments", token)
    assert status == 403 and "revoked" in str(body["error"])
    ApiToken.objects.update(revoked=True)
    assert get("/data/api/v1/segments", token)[0] == 401


def test_costs_by_locality_are_protected_and_logged(token: str, data_dir: Path) -> None:
    status, body = get("/data/api/v1/costs?by=locality", token)
    assert status == 200 and body["by"] == "locality"
    groups = body["groups"]
    assert isinstance(groups, list) and {"Medway", "Maidstone"} <= {g["group"] for g in groups}
    for g in groups:
        assert g["people"] is None or (g["people"] > 7 and g["people"] % 5 == 0)
        assert g["people"] is not None or g["cost"] is None
    last = Governance(governance_dir(data_dir)).entries()[-1]
    assert (last.action, last.what) == ("api query", "costs locality 2024")
    status, body = get("/data/api/v1/costs?by=nhs_number", token)
    assert status == 400 and "by must be one of" in str(body["error"])
