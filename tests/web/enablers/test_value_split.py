"""An initiative's value in parts (benefits, the three gaps, less risk): the form sums them,
refuses a one-figure value that disagrees, and the portfolio page splits its value."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.enablers import EnablersError, combined_value
from stpkit.web.accounts.roles import Role
from stpkit.web.enablers.models import Initiative
from stpkit.web.enablers.views.portfolio import value_split
from stpkit.web.programme.models import Workstream


def test_combined_value_is_the_parts_less_risk_and_never_negative() -> None:
    assert combined_value({"benefits": 10, "health": 4, "finance": 3}, risk=2) == 15
    assert combined_value({"care": 1}, risk=5) == 0
    with pytest.raises(EnablersError, match="Unknown value part"):
        combined_value({"wellbeing": 1})
    with pytest.raises(EnablersError, match="0 or more"):
        combined_value({"benefits": -1})


@pytest.fixture
def workstream(demo_partnership: None) -> Workstream:
    return Workstream.objects.first() or Workstream.objects.create(name="Local care", slug="lc")


def _form(workstream: Workstream, **values: object) -> dict[str, object]:
    return {
        "code": "X01",
        "name": "Frailty hubs",
        "workstream": workstream.pk,
        "benefits": "",
        "version": 0,
        **values,
    }


def test_the_form_sums_the_parts(
    workstream: Workstream, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    response = client.post(
        reverse("enablers:initiative_new"),
        _form(workstream, value_benefits=10, value_health=6, value_care="", value_finance=4,
              value_risk=5, value=""),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    ini = Initiative.objects.get(code="X01")
    assert (ini.value, ini.value_health, ini.value_care, ini.value_risk) == (15, 6, None, 5)
    page = client.get(reverse("enablers:initiative", args=[ini.pk])).content.decode()
    assert "Health and wellbeing gap 6" in page and "less risk 5" in page


def test_a_value_that_disagrees_with_its_parts_is_refused(
    workstream: Workstream, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    response = client.post(
        reverse("enablers:initiative_new"),
        _form(workstream, value_benefits=10, value=99),
    )
    assert response.status_code == 200
    assert "The parts come to 10 points" in response.content.decode()
    assert not Initiative.objects.exists()
    none = client.post(reverse("enablers:initiative_new"), _form(workstream, value=""))
    assert "Enter the value, or its parts above" in none.content.decode()


def test_the_portfolio_value_splits_by_part(workstream: Workstream) -> None:
    Initiative.objects.create(
        code="A", name="a", workstream=workstream, value=12, value_benefits=8, value_care=6,
        value_risk=2,
    )  # fmt: skip
    Initiative.objects.create(code="B", name="b", workstream=workstream, value=7)
    Initiative.objects.create(code="C", name="c", workstream=workstream, value=5, value_finance=5)
    rows = {r["part"]: (r["chosen"], r["left_out"]) for r in value_split({"A", "B"})}
    assert rows == {
        "Benefits": (8, 0),
        "Care and quality gap": (6, 0),
        "Funding and efficiency gap": (0, 5),
        "Less: delivery risk": (-2, 0),
        "Scored as one figure (no split)": (7, 0),
    }
    assert sum(c for c, _ in rows.values()) == 12 + 7


def test_the_portfolio_page_shows_and_downloads_the_split(
    enablers_demo: None, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.BOARD_MEMBER)
    page = client.get(reverse("enablers:portfolio")).content.decode()
    assert "Value by part" in page and "Health and wellbeing gap" in page
    csv = client.get(reverse("enablers:portfolio") + "?table=split&format=csv")
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Part of the value")
    cells = [line.rsplit(",", 2) for line in lines[1:]]
    total = sum(float(chosen) + float(left) for _, chosen, left in cells)
    assert total == sum(i.value for i in Initiative.objects.all())  # the parts add back up
    assert any(float(chosen) > 0 for _, chosen, _ in cells)
