"""The linkage quality page: shown to the data controller, refused to every other role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role

REPORT = (
    "feed,month,measure,band,value\n"
    "Hospital,2026-01,records,,1200\n"
    "Hospital,2026-01,share linked,,0.42\n"
    "Hospital,2026-01,method,NHS number,480\n"
    "Hospital,2026-01,method,probabilistic,4\n"
    "Hospital,2026-01,estimated false-match rate,,0.003\n"
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    sample = tmp_path / "kid" / "sample"
    sample.mkdir(parents=True)
    (sample / "person.parquet").write_bytes(b"")  # marks the folder as the store
    (sample / "linkage_quality.csv").write_text(REPORT)
    return sample


def test_the_controller_sees_the_report_with_small_counts_withheld(
    store: Path, demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    response = client_for(Role.DATA_CONTROLLER).get(reverse("data:linkage_quality"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hospital / 2026-01" in html and "1,200" in html and "42.0%" in html
    assert "0.3%" in html and "480" in html
    assert "fewer than 10" in html  # the 4 probabilistic links


def test_without_a_report_the_page_says_how_to_make_one(
    store: Path, demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    (store / "linkage_quality.csv").unlink()
    html = client_for(Role.DATA_CONTROLLER).get(reverse("data:linkage_quality")).content
    assert b"no linkage quality report yet" in html


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.DATA_CONTROLLER])
def test_other_roles_are_refused(
    role: Role, store: Path, demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    assert client_for(role).get(reverse("data:linkage_quality")).status_code == 403
