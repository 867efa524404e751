"""Beds (Erlang loss), staff, cost with Green Book discounting, and the equality impact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import poisson

from stpkit.stroke import StrokeError, StrokeModel, appraise
from stpkit.stroke.business_case import BusinessCaseModel
from stpkit.stroke.capacity import CapacityAssumptions, beds_for, no_bed_probability, unit_capacity
from stpkit.stroke.costs import (
    CostAssumptions,
    discount_factors,
    net_present_cost,
    read_cost_table,
)
from stpkit.stroke.equality import EqualityBase, equality_impact
from tests.stroke.synthetic import tiny


def erlang_b_recursion(c: int, a: float) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


@pytest.mark.parametrize(("beds", "load"), [(1, 0.5), (5, 3.2), (12, 8.4), (30, 22.0)])
def test_no_bed_probability_is_erlangs_loss_formula(beds: int, load: float) -> None:
    assert no_bed_probability(beds, load) == pytest.approx(erlang_b_recursion(beds, load))
    assert no_bed_probability(beds, load) == pytest.approx(
        poisson.pmf(beds, load) / poisson.cdf(beds, load)
    )


def test_beds_are_the_fewest_meeting_the_target() -> None:
    load = 900 / 365 * 3.0
    c = beds_for(load, 0.05)
    assert no_bed_probability(c, load) <= 0.05 < no_bed_probability(c - 1, load)
    u = unit_capacity("X", 900.0)
    assert u.hasu_beds == c
    assert u.hasu_occupancy == pytest.approx(load * (1 - u.hasu_no_bed) / c)
    # seven-day rota of 6 WTE plus 1 per 500 admissions above 600; nurses 2.9 / 1.35 per bed
    assert u.consultants_wte == pytest.approx(6.0 + 300 / 500)
    assert u.nurses_wte == pytest.approx(2.9 * u.hasu_beds + 1.35 * u.asu_beds)
    # pooling: one unit of 1,800 needs fewer beds than two of 900
    assert unit_capacity("Y", 1800.0).hasu_beds < 2 * u.hasu_beds
    tighter = unit_capacity("X", 900.0, CapacityAssumptions(max_no_bed_probability=0.01))
    assert tighter.hasu_beds > u.hasu_beds and tighter.hasu_no_bed <= 0.01


def test_green_book_discounting() -> None:
    f = discount_factors(10, 0.035)
    assert (
        f[0] == 1.0
        and f[1] == pytest.approx(1 / 1.035)
        and f[10] == pytest.approx(0.7089, abs=1e-4)
    )
    # capital now, 1m a year for 10 years: 8.3166m present value of the revenue
    assert net_present_cost(5e6, 1e6, 10, 0.035) == pytest.approx(5e6 + 8.3166e6, rel=1e-4)


def test_cost_table_errors_name_row_and_column(tmp_path: Path) -> None:
    table = read_cost_table()
    assert table["WH"].hasu_works > 0 and "*" in table
    bad = tmp_path / "costs.csv"
    bad.write_text("site_code,site,hasu_works_gbp,per_bed_gbp,source\nAA,A,lots,1,x\n")
    with pytest.raises(StrokeError, match=r"row 2, hasu_works_gbp: 'lots' is not a number"):
        read_cost_table(bad)
    bad.write_text("site_code,site,hasu_works_gbp,per_bed_gbp,source\nAA,A,1,1,x\nAA,A,1,1,x\n")
    with pytest.raises(StrokeError, match="row 3: site_code 'AA' is listed twice"):
        read_cost_table(bad)
    bad.write_text("site_code,site,hasu_works_gbp,per_bed_gbp,source\nAA,A,1,-1,x\n")
    with pytest.raises(StrokeError, match="row 2, per_bed_gbp: -1 is negative"):
        read_cost_table(bad)


@pytest.fixture(scope="module")
def model() -> StrokeModel:
    return StrokeModel(tiny())


def test_option_cost_beds_and_equality_for_a_configuration(model: StrokeModel) -> None:
    costs = CostAssumptions(capital_available=1e6)
    bc = BusinessCaseModel(model, costs=costs)
    a_only = model.evaluate(model.configuration("A", ["A"]))
    case = bc.case(a_only)
    m = case.metrics()
    row = read_cost_table()["*"]  # the tiny geography's sites are priced by the default row
    beds = case.units[0].hasu_beds
    assert m["capital_gbp"] == pytest.approx(row.hasu_works + row.per_bed * beds)
    assert not case.cost.within_capital and m["capital_headroom_gbp"] < 0
    assert m["net_present_cost_gbp"] == pytest.approx(
        net_present_cost(m["capital_gbp"], m["revenue_gbp_a_year"], 10, 0.035)
    )
    today = bc.case(model.today)
    assert today.metrics()["capital_gbp"] == 0.0
    assert m["revenue_change_gbp_a_year"] == pytest.approx(
        m["revenue_gbp_a_year"] - today.metrics()["revenue_gbp_a_year"]
    )
    # visitors: admissions x visits x 2 ways x change in minutes, residents only
    geo = model.geo
    change = a_only.columns["minutes"] - a_only.columns["today_minutes"]
    visits = 3.0 + 8.0
    expected = float(np.sum(geo.admissions[geo.resident] * visits * 2 * change[geo.resident]) / 60)
    assert m["visitor_hours_change"] == pytest.approx(expected)


def test_equality_tables_by_quintile_and_age() -> None:
    geo = tiny()
    base = EqualityBase(
        np.array([0, 1, 2]),
        np.array([1, 1, 5]),
        np.array([[10, 20, 30], [0, 0, 10], [5, 5, 5]], float),
    )
    minutes = np.array([20.0, 50.0, 30.0, 0.0])
    today = np.array([10.0, 20.0, 30.0, 0.0])
    eq = equality_impact(base, geo, minutes, today, visits_per_admission=1.0, losers=2)
    q1 = eq.by_quintile.set_index("imd_quintile").loc[1]
    # admissions 10 and 20: change 10 and 30 -> (100 + 600) / 30
    assert q1.change_minutes == pytest.approx(700 / 30, abs=0.01)
    assert q1.within_45 == pytest.approx(10 / 30, abs=1e-4) and q1.within_45_today == 1.0
    older = eq.by_age.set_index("age_band").loc["60+"]
    assert older.change_minutes == pytest.approx((30 * 10 + 10 * 30 + 5 * 0) / 45, abs=0.01)
    assert list(eq.losers.lsoa_code) == ["L2", "L1"]
    assert eq.visitor_hours_change == pytest.approx((10 * 10 + 20 * 30) * 2 / 60)


def test_appraisal_carries_business_case_metrics(model: StrokeModel, tmp_path: Path) -> None:
    from stpkit.stroke import read_stroke_criteria

    p = tmp_path / "c.yaml"
    p.write_text(
        "hurdles:\n  - metric: net_present_cost_gbp\n    max: 1000000000000\n"
        "criteria:\n  - {name: Cost, metric: net_present_cost_gbp, weight: 1, direction: lower}\n"
    )
    a = appraise(model, range(1, 3), read_stroke_criteria(p, model), draws=50)
    for o in a.evaluation.options:
        assert o.metrics["hasu_beds"] == a.cases[o.name].metrics()["hasu_beds"] > 0
        assert "net_present_cost_gbp" in o.metrics and "most_deprived_change_minutes" in o.metrics


def test_the_lsoas_losing_most_match_a_full_stable_sort() -> None:
    from stpkit.stroke.equality import _largest

    rng = np.random.default_rng(11)
    for _ in range(50):
        values = rng.integers(-5, 6, rng.integers(1, 60)).astype(float)  # heavy ties
        for n in (0, 1, 3, 10, 100):
            want = np.argsort(-values, kind="stable")[:n]
            assert list(_largest(values, n)) == list(want)
