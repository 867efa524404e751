"""The workforce projection's demand grows with the integrated dataset's activity
projection when there is one (registered from `home`), and says which growth it used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.enablers import EnablersError, annual_growth_range
from stpkit.web.accounts.roles import Role
from stpkit.web.enablers import services


def test_growth_range_by_hand() -> None:
    low, mid, high = annual_growth_range(100.0, (110.25, 121.0, 100.0), years=2)
    assert (low, mid, high) == pytest.approx((0.0, 0.05, 0.1))
    with pytest.raises(EnablersError, match="positive base"):
        annual_growth_range(0.0, (1.0, 1.0, 1.0), years=5)


def test_projection_takes_its_growth_from_the_activity_projection(
    enablers_demo: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client_for: Callable[[Role], Client],
) -> None:
    from stpkit.demo.data import load_purposes
    from stpkit.kid.sources import SampleSpec, write_sample

    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    client = client_for(Role.BOARD_MEMBER)
    assert services.default_growth() is None  # no store yet
    page = client.get(reverse("enablers:projection")).content.decode()
    assert "the stated default" in page
    year = services.latest_year("workforce")
    before = services.projection(year)

    write_sample(tmp_path / "kid" / "sample", SampleSpec(people=3_000, practices=8))
    load_purposes(analyst="test-analyst", controller="test-data_controller")
    growth = services.default_growth()
    assert growth is not None
    low, mid, high = growth
    assert low <= mid <= high and low > -0.2 and high < 0.3
    page = client.get(reverse("enablers:projection")).content.decode()
    assert "from the integrated dataset&#39;s activity projection" in page or (
        "from the integrated dataset's activity projection" in page
    )
    after = services.projection(year)
    assert after is not before  # the growth is part of what the projection is kept by
