"""The workforce summary and projection are remembered between page views and computed
again as soon as what they come from changes (an assumption, a service change)."""

from __future__ import annotations

from stpkit.web.enablers import services
from stpkit.web.enablers.models import GroupAssumption, ServiceChangeWorkforce


def test_projection_is_remembered_until_an_input_changes(enablers_demo: None) -> None:
    year = services.latest_year("workforce")
    first = services.projection(year)
    assert services.projection(year) is first
    assert services.workforce_summary(year) == services.workforce_summary(year)
    group = first.rows[0].staff_group
    a, _ = GroupAssumption.objects.get_or_create(staff_group=group)
    a.recruitment_low, a.recruitment_central, a.recruitment_high = 500.0, 600.0, 700.0
    a.version += 1
    a.save()
    changed = services.projection(year)
    assert changed is not first
    end = {r.staff_group: r for r in changed.rows if r.year == changed.years}
    before = {r.staff_group: r for r in first.rows if r.year == first.years}
    assert end[group].supply[1] > before[group].supply[1] + 1000  # 5 years of 600 recruits
    ServiceChangeWorkforce.objects.create(option="X", staff_group=group, plan_year=1, wte=50.0)
    assert services.projection(year) is not changed
