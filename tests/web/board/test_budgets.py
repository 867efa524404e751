"""Budgets in the web app: roll-up, negative plans refused, stale edits refused."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import BudgetActual, BudgetLine
from stpkit.web.board.services import programme_budget


def test_demo_budgets_roll_up_to_the_programme(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    summary = programme_budget(2018)
    assert summary.year_label == "2018/19"
    # approved on 5 March 2018, the demo's as-at date: plans only, no month of spend yet
    assert summary.reported_to is None and not BudgetActual.objects.exists()
    total_plan = sum(line.planned for line in BudgetLine.objects.filter(financial_year=2018))
    assert summary.total.plan == total_plan == summary.total.forecast_outturn
    assert summary.total.actual_to_date == summary.total.plan_to_date == 0
    page = client_for(Role.BOARD_MEMBER).get(reverse("board:budgets")).content.decode()
    assert "Budgets 2018/19" in page and "no actuals recorded yet" in page
    csv = (
        client_for(Role.BOARD_MEMBER)
        .get(reverse("board:budgets") + "?format=csv")
        .content.decode("utf-8-sig")
    )
    last = csv.strip().splitlines()[-1].split(",")
    assert last[0] == "Programme total" and Decimal(last[1]) == total_plan


def test_negative_budget_is_refused_and_nothing_saved(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    office = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("board:workstream_budget", args=[2018, "estates"])
    before = BudgetLine.objects.count()
    html = office.post(
        url, {"form": "line", "line-name": "Surveys", "line-planned": "-100", "line-order": "3"}
    ).content.decode()
    assert "A budget cannot be negative" in html
    assert BudgetLine.objects.count() == before
    assert (
        office.post(
            url, {"form": "line", "line-name": "Surveys", "line-planned": "5000", "line-order": "3"}
        ).status_code
        == 302
    )
    line = BudgetLine.objects.get(workstream__slug="estates", name="Surveys")
    office.post(
        url,
        {
            "form": "actual",
            "actual-line": line.pk,
            "actual-month": "2018-04-01",
            "actual-amount": "420",
        },
    )
    assert BudgetActual.objects.get(line=line).amount == Decimal("420")
    page = office.get(url).content.decode()
    assert "Surveys" in page and "Actual spend by month" in page


def test_second_of_two_budget_edits_is_refused(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    line = BudgetLine.objects.get(workstream__slug="digital", name="Kent Integrated Dataset")
    url = reverse("board:budget_line", args=[line.pk])
    first, second = client_for(Role.PROGRAMME_OFFICE), client_for(Role.ADMINISTRATOR)
    data = {"name": line.name, "order": line.order, "version": line.version}
    assert first.post(url, {**data, "planned": "310000"}).status_code == 302
    response = second.post(url, {**data, "planned": "999999"})
    assert "Your changes were not saved" in response.content.decode()
    line.refresh_from_db()
    assert line.planned == Decimal("310000")
    # Readers see the line but cannot change it.
    board = client_for(Role.BOARD_MEMBER)
    assert board.post(url, {**data, "planned": "1"}).status_code == 403
