"""Budget variance, forecast outturn and roll-up (NHS financial year, April to March)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stpkit.programme.budget import (
    BudgetError,
    BudgetLine,
    ForecastMethod,
    financial_year_label,
    financial_year_months,
    financial_year_of,
    line_position,
    months_elapsed,
    parse_financial_year,
    roll_up,
)


def test_financial_year_runs_april_to_march() -> None:
    months = financial_year_months(2018)
    assert months[0] == date(2018, 4, 1) and months[-1] == date(2019, 3, 1)
    assert financial_year_of(date(2019, 3, 31)) == 2018
    assert financial_year_of(date(2019, 4, 1)) == 2019
    assert financial_year_label(2018) == "2018/19"
    assert financial_year_label(2099) == "2099/00"
    assert parse_financial_year("2018/19") == 2018
    assert parse_financial_year("2018-19") == 2018
    with pytest.raises(BudgetError, match="second year must follow"):
        parse_financial_year("2018/20")
    with pytest.raises(BudgetError, match="like 2018/19"):
        parse_financial_year("next year")


def test_months_elapsed() -> None:
    assert months_elapsed(2018, None) == 0
    assert months_elapsed(2018, date(2018, 3, 31)) == 0
    assert months_elapsed(2018, date(2018, 6, 15)) == 3
    assert months_elapsed(2018, date(2020, 1, 1)) == 12


def test_variance_and_outturn_on_an_evenly_phased_plan() -> None:
    actuals = {
        date(2018, 4, 1): D("12000"),
        date(2018, 5, 1): D("9000"),
        date(2018, 6, 1): D("15000"),
    }
    line = BudgetLine("Programme staff", D("120000"), actuals)
    pos = line_position(line, 2018, date(2018, 6, 1))
    assert pos.plan_to_date == D("30000")
    assert pos.actual_to_date == D("36000")
    assert pos.variance_to_date == D("6000")  # overspend
    assert pos.forecast_outturn == D("36000") + D("90000")
    assert pos.forecast_variance == D("6000")
    assert pos.remaining == D("84000")
    run_rate = line_position(line, 2018, date(2018, 6, 1), ForecastMethod.RUN_RATE)
    assert run_rate.forecast_outturn == D("144000")
    assert run_rate.forecast_variance == D("24000")


def test_actuals_after_the_reported_month_are_not_counted() -> None:
    line = BudgetLine("x", D("1200"), {date(2018, 4, 1): D("100"), date(2018, 9, 1): D("500")})
    assert line_position(line, 2018, date(2018, 5, 1)).actual_to_date == D("100")


def test_uneven_plan_phases_to_the_penny() -> None:
    line = BudgetLine("Engagement", D("1000"))
    monthly = line.monthly_plan()
    assert sum(monthly) == D("1000")
    assert monthly[0] == D("83.33") and monthly[-1] == D("83.37")
    assert line_position(line, 2018, date(2019, 3, 1)).plan_to_date == D("1000")


def test_a_monthly_profile_is_used_and_checked() -> None:
    profile = [D("0")] * 6 + [D("100")] * 6
    line = BudgetLine("Events", D("600"), {}, profile)
    assert line_position(line, 2018, date(2018, 9, 1)).plan_to_date == D("0")
    with pytest.raises(BudgetError, match="adds up to 500"):
        line_position(BudgetLine("Events", D("600"), {}, [*profile[:11], D("0")]), 2018, None)
    with pytest.raises(BudgetError, match="12 amounts"):
        line_position(BudgetLine("Events", D("600"), {}, profile[:11]), 2018, None)


def test_negative_budgets_are_refused_with_the_line_and_year() -> None:
    with pytest.raises(
        BudgetError, match=r"'Consultancy' \(2018/19\): planned amount -5 is negative"
    ):
        line_position(BudgetLine("Consultancy", D("-5")), 2018, None)


def test_actual_outside_the_year_is_refused() -> None:
    line = BudgetLine("Staff", D("10"), {date(2019, 4, 1): D("1")})
    with pytest.raises(BudgetError, match="April 2019 is outside the financial year"):
        line_position(line, 2018, date(2018, 4, 1))


def test_roll_up_sums_lines_then_workstreams() -> None:
    reported = date(2018, 5, 1)
    a = line_position(BudgetLine("a", D("1200"), {date(2018, 4, 1): D("150")}), 2018, reported)
    b = line_position(BudgetLine("b", D("2400"), {date(2018, 5, 1): D("100")}), 2018, reported)
    ws = roll_up("Prevention", [a, b])
    assert (ws.plan, ws.plan_to_date, ws.actual_to_date) == (D("3600"), D("600"), D("250"))
    assert ws.variance_to_date == D("-350")  # underspend
    programme = roll_up("Programme", [ws, roll_up("Empty", [])])
    assert programme.forecast_outturn == ws.forecast_outturn == D("250") + D("3000")


@given(
    plan=st.decimals(min_value=0, max_value=10**7, places=2),
    spend=st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=12, max_size=12),
    elapsed=st.integers(min_value=0, max_value=12),
)
def test_outturn_is_actual_plus_remaining_plan(plan: D, spend: list[D], elapsed: int) -> None:
    months = financial_year_months(2018)
    line = BudgetLine("x", plan, dict(zip(months, spend, strict=True)))
    reported = months[elapsed - 1] if elapsed else None
    pos = line_position(line, 2018, reported)
    assert pos.plan_to_date + sum(line.monthly_plan()[elapsed:], D(0)) == plan
    assert pos.forecast_outturn - pos.plan == pos.variance_to_date
