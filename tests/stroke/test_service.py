"""Any acute service on the stroke geography: demand by LSOA from a table or a file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stpkit.stroke import StrokeError
from stpkit.stroke.capacity import beds_for
from stpkit.stroke.equality import EqualityBase
from stpkit.stroke.service import (
    SERVICES,
    demand_from_table,
    demand_within,
    evaluate_service,
    read_demand,
)
from tests.stroke.synthetic import tiny


def test_service_at_one_site_against_both() -> None:
    geo = (
        tiny()
    )  # minutes: L1 (10, 40), L2 (35, 20), L3 (50, 25), N4 (15, 45); outside 50, 60, 30, 40
    demand = demand_from_table(
        geo, pd.DataFrame({"lsoa_code": ["L1", "L2", "L3", "N4"], "demand": [100, 200, 300, 60]})
    )
    ae = SERVICES["ae"]
    base = EqualityBase(np.array([0, 1, 2]), np.array([1, 2, 1]), np.ones((3, 3)))
    r = evaluate_service(geo, demand, ["A"], ae, base=base)
    # L1 -> A (10), L2 -> A (35), L3 -> outside (30), N4 -> A; today L1 A 10, L2 B 20, L3 B 25
    assert r.metrics["mean_minutes"] == pytest.approx((100 * 10 + 200 * 35 + 300 * 30) / 600)
    assert r.metrics["mean_change_minutes"] == pytest.approx((0 + 200 * 15 + 300 * 5) / 600)
    assert r.metrics["share_within_30"] == pytest.approx(400 / 600)
    assert r.metrics["demand_to_outside"] == 300
    assert r.site_demand == {"Site A": 100 + 200 + 60}
    beds, p_none = r.site_beds["Site A"]
    load = 360 * ae.admitted_share / 365 * ae.stay_days
    assert beds == beds_for(load, 0.05) and p_none <= 0.05
    # the most deprived fifth (L1, L3): (100 x 0 + 300 x 5) / 400
    assert r.metrics["most_deprived_change_minutes"] == pytest.approx(1500 / 400)
    assert list(r.sites_frame().site) == ["Site A"]


def test_demand_file_errors_name_file_row_and_field(tmp_path: Path) -> None:
    geo = tiny()
    p = tmp_path / "demand.csv"
    p.write_text("lsoa_code,demand\nL1,5\nL9,3\n")
    with pytest.raises(StrokeError, match=r"demand.csv, row 3, lsoa_code: L9 is not an LSOA"):
        read_demand(geo, p)
    p.write_text("lsoa_code,demand\nL1,5\nL1,3\n")
    with pytest.raises(StrokeError, match="row 3, lsoa_code: L1 is listed twice"):
        read_demand(geo, p)
    p.write_text("lsoa_code,demand\nL1,-5\n")
    with pytest.raises(StrokeError, match="row 2, demand: '-5' must be zero or more"):
        read_demand(geo, p)
    p.write_text("lsoa,count\nL1,5\n")
    with pytest.raises(StrokeError, match="needs the columns lsoa_code and demand"):
        read_demand(geo, p)
    p.write_text("lsoa_code,demand\nL2,7\n")
    assert read_demand(geo, p).tolist() == [0.0, 7.0, 0.0, 0.0]


def test_sites_outside_the_decision_stay_open() -> None:
    geo = tiny()
    demand = np.array([100.0, 200.0, 300.0, 60.0])
    r = evaluate_service(geo, demand, ["A"], SERVICES["emergency_surgery"], stay_open=["B"])
    # L2 (B 20) and L3 (B 25) go to B, which stays open; only A's figures are reported
    assert r.site_demand == {"Site A": 160.0}
    assert r.metrics["demand_to_other_sites"] == 500.0
    assert r.metrics["mean_change_minutes"] == 0.0  # the baseline has both open too


def test_demand_within_leaves_out_lsoas_beyond_the_model_and_says_how_much() -> None:
    geo = tiny()
    table = pd.DataFrame({"lsoa_code": ["L2", "E01000001", "W01000001"], "demand": [12, 5, 2.5]})
    counts, outside = demand_within(geo, table)
    assert outside == 7.5
    assert list(counts) == [0.0, 12.0, 0.0, 0.0]
    # the rows kept are still checked
    with pytest.raises(StrokeError, match="demand: 'x' is not a number"):
        demand_within(geo, pd.DataFrame({"lsoa_code": ["L1"], "demand": ["x"]}))
