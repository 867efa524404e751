"""Monte Carlo demand and capacity, and needs-weighted capitation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stpkit.disclosure import policy_named
from stpkit.kid.analyses.capitation import budgets, need_weights
from stpkit.kid.analyses.demand import DemandAssumptions, Range, demand_inputs, simulate
from stpkit.kid.governed import InsightStore, dashboards, open_store
from stpkit.kid.governed.population_health import capitation, demand_monte_carlo
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=4_000, practices=12, years=(2024,))
    )
    return open_store(path)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_base_year_reproduces_the_store_and_intervals_widen(
    store: InsightStore, cache: Path
) -> None:
    table = dashboards.segments_table(store, 2024, cache)
    inputs = demand_inputs(store, table, 2024)
    a = DemandAssumptions(draws=200)
    r = simulate(inputs, a)
    base = r.by_setting[(r.by_setting.year == 2024) & (r.by_setting.scenario == "baseline")]
    actual = store.con.execute(
        "SELECT count(*) FILTER (WHERE setting = 'apc' AND emergency), "
        "count(*) FILTER (WHERE setting = 'gp') FROM activity WHERE year = 2024"
    ).fetchone()
    assert actual is not None
    got = base.set_index("measure")
    assert got.loc["apc_emergency", "p50"] == pytest.approx(actual[0])
    assert got.loc["gp", "p50"] == pytest.approx(actual[1])
    assert got.loc["gp", "p10"] == got.loc["gp", "p90"]  # nothing uncertain in the base year
    last = r.by_setting[(r.by_setting.year == 2029) & (r.by_setting.scenario == "baseline")]
    last = last.set_index("measure")
    assert (last.p10 < last.p50).all() and (last.p50 < last.p90).all()
    # Beds = bed days / 365 / occupancy at the median (the same draw ordering holds).
    assert last.loc["beds", "p50"] == pytest.approx(
        last.loc["bed_days", "p50"] / 365 / a.occupancy, rel=1e-9
    )
    # Localities add up to the whole (medians of sums are close to sums of medians).
    loc = r.by_locality[(r.by_locality.scenario == "baseline") & (r.by_locality.measure == "gp")]
    assert loc.p50.sum() == pytest.approx(last.loc["gp", "p50"], rel=0.02)


def test_local_care_moves_admissions_to_the_community(store: InsightStore, cache: Path) -> None:
    table = dashboards.segments_table(store, 2024, cache)
    inputs = demand_inputs(store, table, 2024)
    fixed = DemandAssumptions(
        draws=50,
        avoided_share=Range(0.2, 0.2),
        community_per_avoided=Range(5, 5),
        growth=Range(0, 0),
        mortality_multiplier=Range(1, 1),
        births_change=Range(0, 0),
        net_migration=Range(0, 0),
    )
    r = simulate(inputs, fixed).by_setting
    last = r[r.year == 2029].pivot_table(index="measure", columns="scenario", values="p50")
    avoided = last.loc["apc_emergency", "baseline"] - last.loc["apc_emergency", "local care"]
    assert avoided > 0
    extra = last.loc["community", "local care"] - last.loc["community", "baseline"]
    assert extra == pytest.approx(5 * avoided)
    assert last.loc["beds", "local care"] < last.loc["beds", "baseline"]
    assert last.loc["gp", "local care"] == last.loc["gp", "baseline"]
    with pytest.raises(ValueError, match="below the low"):
        simulate(inputs, replace(fixed, growth=Range(0.02, 0.01)))


def test_published_demand_is_scaled_and_rounded(store: InsightStore, cache: Path) -> None:
    pub = demand_monte_carlo(store, DemandAssumptions(draws=100), cache, scale=10.0)
    rows = pub.by_setting
    assert (rows[rows.measure == "gp"].p50 % 5 == 0).all()
    assert (rows[rows.measure == "bed_days"].p50 % 10 == 0).all()
    raw = pub.result.by_setting
    assert rows.p50.iloc[0] == pytest.approx(10 * raw.p50.iloc[0], abs=5)
    assert not pub.by_condition.empty and set(pub.by_condition.scenario) == {
        "baseline",
        "local care",
    }
    labels = [label for label, _ in DemandAssumptions().describe()]
    assert len(labels) == len(set(labels)) == 15  # every assumption is on the page


def test_need_weights_by_hand() -> None:
    # Two cells of 1000 people (no shrinkage to speak of): costs 100 and 300; mean 200.
    people = pd.DataFrame(
        {
            "age": [30] * 1000 + [80] * 1000,
            "sex": ["F"] * 2000,
            "ltc_count": [0] * 1000 + [3] * 1000,
            "imd_quintile": [1] * 2000,
            "total": [100.0] * 1000 + [300.0] * 1000,
        }
    )
    w = need_weights(people)
    assert w.weight.iloc[0] == pytest.approx(0.5, abs=0.01)
    assert w.weight.iloc[-1] == pytest.approx(1.5, abs=0.01)
    w["footprint"] = np.where(w.age < 50, "young", "old")
    b = budgets(w, "footprint").set_index("group")
    assert b.budget.sum() == pytest.approx(people.total.sum())
    assert b.loc["old", "budget"] == pytest.approx(b.loc["old", "actual"], rel=0.02)


def test_capitation_per_footprint_passes_the_policy(store: InsightStore, cache: Path) -> None:
    policy = policy_named("opensafely")
    pub = capitation(store, 2024, cache, policy, "community_hub")
    assert pub.rows and all(r["people"] is None or r["people"] % 5 == 0 for r in pub.rows)
    shown = [r for r in pub.rows if r["people"]]
    assert sum(r["budget"] for r in shown) == pytest.approx(
        sum(r["actual"] for r in shown), rel=0.05
    )
    assert all(0.3 < r["need_index"] < 3 for r in shown)
    with pytest.raises(ValueError, match="unknown footprint"):
        capitation(store, 2024, cache, policy, "extended_practice")
