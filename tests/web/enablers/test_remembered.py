"""The workforce summary and projection are kept between page views and computed again as
soon as what they come from changes (an assumption, a service change)."""

from __future__ import annotations

from typing import Any

import pytest

from stpkit import enablers as eng
from stpkit.web.enablers import services
from stpkit.web.enablers.models import GroupAssumption, ServiceChangeWorkforce


def test_projection_is_kept_until_an_input_changes(
    enablers_demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    real_project = eng.project

    def counted(*args: Any, **kwargs: Any) -> eng.Projection:
        runs.append(1)
        return real_project(*args, **kwargs)

    monkeypatch.setattr(eng, "project", counted)
    year = services.latest_year("workforce")
    first = services.projection(year)
    assert len(runs) == 1
    again = services.projection(year)
    assert len(runs) == 1, "the second view computed the projection again"
    assert again.rows == first.rows
    assert services.workforce_summary(year) == services.workforce_summary(year)
    group = first.rows[0].staff_group
    a, _ = GroupAssumption.objects.get_or_create(staff_group=group)
    a.recruitment_low, a.recruitment_central, a.recruitment_high = 500.0, 600.0, 700.0
    a.version += 1
    a.save()
    changed = services.projection(year)
    assert len(runs) == 2
    end = {r.staff_group: r for r in changed.rows if r.year == changed.years}
    before = {r.staff_group: r for r in first.rows if r.year == first.years}
    assert end[group].supply[1] > before[group].supply[1] + 1000  # 5 years of 600 recruits
    ServiceChangeWorkforce.objects.create(option="X", staff_group=group, plan_year=1, wte=50.0)
    services.projection(year)
    assert len(runs) == 3
