"""Savings phasing, delivery and the risk-adjusted forecast."""

from __future__ import annotations

from datetime import date

import pytest

from stpkit.productivity import (
    Confidence,
    InputError,
    ProductivityError,
    Scheme,
    monthly_profile,
    plan_year_months,
    read_savings,
    summarise,
)

GROUPS = {"pathology", "medicines"}
GOOD = b"""working_group,scheme,month,planned,actual,confidence
pathology,Hub,2020-04,100000,90000,A
pathology,Hub,2020-05,100000,,A
pathology,Hub,2021-03,200000,,A
medicines,Biosimilars,Apr 2020,50000,50000,G
medicines,Biosimilars,2020-06,50000,,G
"""


def test_plan_year_runs_april_to_march() -> None:
    months = plan_year_months("2020/21")
    assert months[0] == date(2020, 4, 1) and months[-1] == date(2021, 3, 1) and len(months) == 12
    with pytest.raises(ProductivityError, match="2020/22"):
        plan_year_months("2020/22")


def test_forecast_is_delivered_plus_risk_weighted_remainder() -> None:
    schemes = {s.name: s for s in read_savings(GOOD, "2020/21", GROUPS, "plan.csv")}
    hub = schemes["Hub"]
    assert hub.planned_total == 400_000
    assert hub.delivered == 90_000
    assert hub.planned_to_date() == 100_000
    # 90,000 delivered + (100,000 + 200,000) x amber 0.5
    assert hub.forecast() == pytest.approx(240_000)
    bio = schemes["Biosimilars"]
    assert bio.forecast() == pytest.approx(50_000 + 50_000 * 0.9)
    summary = summarise(list(schemes.values()), target=500_000)
    assert summary.planned == 500_000
    assert summary.forecast == pytest.approx(240_000 + 95_000)
    assert summary.gap_to_target == pytest.approx(500_000 - 335_000)
    assert summarise(list(schemes.values()), None).gap_to_target is None


def test_custom_risk_factors() -> None:
    scheme = Scheme("pathology", "X", Confidence.RED, {date(2020, 4, 1): 100.0})
    assert scheme.forecast({Confidence.GREEN: 1, Confidence.AMBER: 1, Confidence.RED: 0.25}) == 25


def test_monthly_profile_accumulates() -> None:
    profile = monthly_profile(read_savings(GOOD, "2020/21", GROUPS, "plan.csv"), "2020/21")
    assert profile[0]["planned"] == 150_000 and profile[0]["actual"] == 140_000
    assert profile[1]["actual"] is None and profile[1]["cumulative_actual"] is None
    assert profile[-1]["cumulative_planned"] == 500_000


def test_savings_phased_beyond_the_plan_year_are_refused() -> None:
    bad = GOOD + b"pathology,Hub,2021-04,100000,,A\n"
    with pytest.raises(InputError) as caught:
        read_savings(bad, "2020/21", GROUPS, "plan.csv")
    assert [str(i) for i in caught.value.issues] == [
        "plan.csv, row 7, field 'month': April 2021 is after the plan year 2020/21 "
        "(April 2020 to March 2021): phase savings within the plan year"
    ]


def test_every_bad_row_is_reported() -> None:
    bad = (
        b"working_group,scheme,month,planned,actual,confidence\n"
        b"estates,Sale,2020-05,1,,G\n"
        b"pathology,Hub,2020-13,1,,G\n"
        b"pathology,Hub,2020-05,-5,x,Q\n"
        b"pathology,Hub,2020-06,5,,G\n"
        b"pathology,Hub,2020-07,5,,R\n"
    )
    with pytest.raises(InputError) as caught:
        read_savings(bad, "2020/21", GROUPS, "plan.csv")
    text = [str(i) for i in caught.value.issues]
    assert text[0].startswith(
        "plan.csv, row 2, field 'working_group': 'estates' is not a working group"
    )
    assert text[1] == "plan.csv, row 3, field 'month': '2020-13' is not a month like 2020-04"
    assert "row 4, field 'planned'" in text[2] and "row 4, field 'actual'" in text[3]
    assert "row 4, field 'confidence'" in text[4]
    assert text[5] == (
        "plan.csv, row 6, field 'confidence': Hub is Green in an earlier row; one rating per scheme"
    )
