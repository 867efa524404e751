"""Estates, workforce, projection and capital plan: figures checked by hand."""

from __future__ import annotations

import pytest

from stpkit.enablers import (
    Baseline,
    Building,
    EnablersError,
    GroupAssumptions,
    GroupMeasures,
    Scheme,
    Site,
    StaffRecord,
    agency_against_cap,
    capital_for_option,
    disposal_candidates,
    estate_totals,
    plan_against_envelope,
    project,
    shared_use,
    summarise,
    underused,
)

SITES = [Site("S1", "One", "ORG1"), Site("S2", "Two", "ORG2")]


def _b(code: str, **kw: object) -> Building:
    base: dict[str, object] = dict(
        site="S1",
        code=code,
        name=code,
        use="office",
        tenure="freehold",
        owner="ORG1",
        floor_area_m2=1000.0,
        condition="B",
        running_cost_per_m2=200.0,
        utilisation=0.9,
    )
    base.update(kw)
    return Building(**base)  # type: ignore[arg-type]


def test_unused_space_counts_void_and_the_unused_share_of_the_rest() -> None:
    b = _b("B1", void_m2=200.0, utilisation=0.5)
    assert b.unused_m2 == pytest.approx(200 + 800 * 0.5)
    assert b.running_cost == pytest.approx(200_000)


def test_estate_totals_by_organisation() -> None:
    buildings = [
        _b("B1", backlog={"high": 10.0, "low": 5.0}),
        _b("B2", floor_area_m2=500.0, listed=True),
        _b("B3", site="S2", floor_area_m2=3000.0, shared_with=("ORG1",)),
    ]
    totals = estate_totals(SITES, buildings)
    assert [t.organisation for t in totals] == ["ORG2", "ORG1"]  # largest first
    org1 = totals[1]
    assert org1.buildings == 2 and org1.floor_area_m2 == 1500
    assert org1.backlog_total == 15 and org1.backlog["high"] == 10 and org1.listed == 1
    assert totals[0].shared == 1


def test_underused_disposals_and_shared_use() -> None:
    low = _b("LOW", utilisation=0.3)
    sold = _b("SOLD", disposal_receipt=1_000_000.0, backlog={"high": 50_000.0})
    listed = _b("LISTED", utilisation=0.2, listed=True)
    shared = _b("SHARED", utilisation=0.4, shared_with=("ORG2",))
    busy = _b("BUSY")
    leased = _b("LEASED", tenure="leasehold", disposal_receipt=5.0)
    everything = [low, sold, listed, shared, busy, leased]
    assert {b.code for b in underused(everything)} == {"LOW", "LISTED", "SHARED"}
    cands = {c.building.code: c for c in disposal_candidates(everything)}
    assert set(cands) == {"LOW", "SOLD", "LEASED"}
    assert cands["SOLD"].receipt == 1_000_000 and cands["SOLD"].backlog_avoided == 50_000
    assert cands["LEASED"].receipt == 0  # only a freehold gives a receipt
    assert cands["SOLD"].benefit == pytest.approx(1_000_000 + 50_000 + 5 * 200_000)
    assert [b.code for b in shared_use(everything)] == ["SHARED"]


def test_workforce_summary_rates_and_age_profile() -> None:
    recs = [
        StaffRecord("1", "A", "nursing", "5", 1.0, 58),
        StaffRecord("2", "A", "nursing", "5", 1.0, 30),
        StaffRecord("3", "A", "nursing", "6", 0.5, 55),
        StaffRecord("4", "B", "nursing", "5", 1.0, 40),
    ]
    meas = [
        GroupMeasures(
            "A",
            "nursing",
            vacancies_wte=0.5,
            leavers_wte=0.25,
            agency_wte=0.5,
            agency_spend=40_000.0,
        )
    ]
    rows = {(r.organisation, r.staff_group): r for r in summarise(recs, meas)}
    a = rows[("A", "nursing")]
    assert a.headcount == 3 and a.wte == 2.5
    assert a.near_retirement_share == pytest.approx(1.5 / 2.5)
    assert a.vacancy_rate == pytest.approx(0.5 / 3.0)
    assert a.turnover_rate == pytest.approx(0.1)
    assert a.agency_rate == pytest.approx(80_000)
    assert rows[("*", "nursing")].wte == 3.5


def test_agency_spend_against_cap() -> None:
    meas = [
        GroupMeasures("A", "nursing", agency_spend=120.0),
        GroupMeasures("A", "medical", agency_spend=30.0),
        GroupMeasures("B", "nursing", agency_spend=10.0),
    ]
    rows = agency_against_cap(meas, {"A": 100.0, "B": 50.0, "C": 10.0})
    assert rows[0].organisation == "A" and rows[0].over == 50
    assert {r.organisation: r.over for r in rows} == {"A": 50, "B": 0, "C": 0}


def test_projection_without_uncertainty_matches_hand_arithmetic() -> None:
    fixed = GroupAssumptions(
        training_wte=(10, 10, 10),
        recruitment_wte=(5, 5, 5),
        retirement_rate=(0.5, 0.5, 0.5),
        turnover_rate=(0.1, 0.1, 0.1),
        demand_growth=(0.0, 0.0, 0.0),
    )
    p = project(
        {"nursing": Baseline(100, 20, vacancies_wte=10)},
        {"nursing": fixed},
        {"nursing": [5.0]},
        years=2,
        draws=10,
    )
    y1 = p.rows[0]
    # supply: 100 - 10 retired - 8 leavers (of 80 under 55) + 15 = 97
    assert y1.supply[1] == pytest.approx(97)
    assert y1.demand[1] == pytest.approx(115)  # 100 in post + 10 vacant + 5 service change
    assert y1.gap[1] == pytest.approx(18)
    assert p.rows[1].demand[1] == pytest.approx(115)  # the change persists


def test_projection_ranges_widen_and_order() -> None:
    p = project({"medical": Baseline(500, 100, 20)}, {}, years=5, draws=500)
    first, last = p.rows[0], p.rows[-1]
    assert first.gap[0] <= first.gap[1] <= first.gap[2]
    assert (last.gap[2] - last.gap[0]) > (first.gap[2] - first.gap[0])
    assert set(p.gap_at_end()) == {"medical"}


def test_projection_rejects_unordered_ranges() -> None:
    with pytest.raises(EnablersError, match="turnover_rate"):
        project({"x": Baseline(1, 0)}, {"x": GroupAssumptions(turnover_rate=(0.2, 0.1, 0.3))})


def test_capital_plan_against_envelope_and_option_capital() -> None:
    schemes = [
        Scheme("C1", "Hub", {"2018/19": 5.0, "2019/20": 10.0}, option_code="HASU-3"),
        Scheme("C2", "Ward", {"2019/20": 8.0}, funding_source="disposals", option_code="HASU-3"),
        Scheme("C3", "IT", {"2020/21": 2.0}),
    ]
    years = plan_against_envelope(schemes, {"2018/19": 10.0, "2019/20": 15.0})
    by = {y.year: y for y in years}
    assert by["2019/20"].planned == 18 and by["2019/20"].over and by["2019/20"].headroom == -3
    assert not by["2018/19"].over
    assert by["2020/21"].envelope == 0 and by["2020/21"].over
    assert by["2019/20"].by_source == {"internal": 10.0, "disposals": 8.0}
    assert capital_for_option(schemes, "HASU-3") == 23
    assert capital_for_option(schemes, "") == 0


def test_summary_from_counts_equals_summary_from_records() -> None:
    from stpkit.enablers import count_in_post

    recs = [
        StaffRecord(str(k), "AB"[k % 2], "nursing", "5", 0.5 + k % 2 / 2, 30 + k) for k in range(40)
    ]
    assert summarise(count_in_post(recs)) == summarise(recs)


def test_request_flags() -> None:
    from datetime import date

    from stpkit.enablers import request_flag

    today = date(2018, 3, 1)
    assert request_flag("accepted", date(2018, 2, 1), date(2018, 1, 1), today) == "late"
    assert request_flag("delivered", date(2018, 2, 1), date(2018, 1, 1), today) == ""
    assert request_flag("declined", date(2018, 2, 1), date(2018, 1, 1), today) == ""
    # open for three weeks, due in months
    assert request_flag("open", date(2018, 9, 1), date(2018, 2, 8), today) == "unanswered"
    # raised yesterday, due in months: not yet
    assert request_flag("open", date(2018, 9, 1), date(2018, 2, 28), today) == ""
    # raised yesterday but due in a week
    assert request_flag("open", date(2018, 3, 8), date(2018, 2, 28), today) == "unanswered"
    assert request_flag("planned", date(2018, 3, 8), date(2018, 1, 1), today) == ""
