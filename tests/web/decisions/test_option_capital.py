"""An option's capital in the decisions area comes from the capital plan (issue 22).

The enablers app sits above decisions, so decisions never imports it: the enablers app
registers its capital source at start-up and the options pages ask it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from stpkit.demo import decisions as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.decisions import links
from stpkit.web.enablers.models import CapitalScheme


def test_option_capital_shown_from_the_capital_plan(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    demo.load_east_kent()
    CapitalScheme.objects.create(
        code="EK-1",
        name="Emergency centre works",
        option_code="3",
        funding_source="national",
        cost_y1=40e6,
        cost_y2=60e6,
    )
    CapitalScheme.objects.create(
        code="EK-2",
        name="Theatres",
        option_code=" single major emergency centre at william harvey ",
        funding_source="internal",
        cost_y3=5e6,
    )
    CapitalScheme.objects.create(
        code="EK-3", name="Other scheme", option_code="4", funding_source="internal", cost_y1=7e6
    )
    assert links.options_capital([("3", ""), ("9", "nothing")]) == [100e6, 0.0]
    client = client_for(Role.BOARD_MEMBER)
    url = reverse("decisions:options", args=[demo.EAST_KENT_SLUG])
    body = client.get(url + "?format=csv").content.decode("utf-8-sig")
    rows = {r["Code"]: r for r in csv.DictReader(io.StringIO(body))}
    column = "Capital from the capital plan (GBP)"
    # by code, and by the option's name (case and spaces ignored)
    assert float(rows["3"][column]) == 105e6
    assert float(rows["4"][column]) == 7e6
    assert float(rows["BAU"][column]) == 0
    page = client.get(reverse("decisions:option", args=[demo.EAST_KENT_SLUG, "3"])).content.decode()
    assert "Capital from the capital plan" in page and "£105,000,000" in page
    page = client.get(
        reverse("decisions:option", args=[demo.EAST_KENT_SLUG, "BAU"])
    ).content.decode()
    assert "No capital scheme is linked to this option" in page
