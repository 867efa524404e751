"""The five-year demand projection: demography, rates and the local care scenario."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stpkit.kid.analyses import Assumptions, project
from stpkit.kid.governed import InsightStore, dashboards, open_store
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    return open_store(
        write_sample(tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=3_000, practices=10))
    )


def test_base_year_reproduces_the_store(store: InsightStore) -> None:
    p = project(store)
    base = p.demand[(p.demand.year == 2024) & (p.demand.scenario == "baseline")].set_index(
        "setting"
    )
    actual = store.con.execute(
        "SELECT setting, count(*), sum(cost) FROM activity WHERE year = 2024 GROUP BY 1"
    ).fetchall()
    for setting, n, cost in actual:
        assert base.loc[setting, "activity"] == pytest.approx(n, rel=1e-6)
        assert base.loc[setting, "cost"] == pytest.approx(cost, rel=1e-6)
    assert p.population[p.population.year == 2024].people.sum() == pytest.approx(store.people())


def test_with_no_deaths_births_or_migration_everyone_ages_by_five_years(
    store: InsightStore,
) -> None:
    a = Assumptions(mortality_a=0.0, births_change=-1.0, net_migration=0.0, shift_share=0.0)
    p = project(store, a)
    over65_now = store.con.execute(
        "SELECT count(*) FROM person WHERE age >= 60 AND death_month IS NULL"
    ).fetchone()
    assert over65_now is not None
    last = p.population[p.population.year == 2029]
    assert last[last.age_group.isin(["65-84", "85+"])].people.sum() == pytest.approx(over65_now[0])


def test_the_local_care_scenario_moves_emergency_admissions_to_the_community(
    store: InsightStore,
) -> None:
    p = project(store, Assumptions(shift_share=0.2, community_contacts_per_admission=4))
    last = p.demand[p.demand.year == 2029].pivot_table(
        index="setting", columns="scenario", values="activity"
    )
    moved = last.loc["apc", "baseline"] - last.loc["apc", "local care"]
    assert moved > 0
    assert last.loc["community", "local care"] - last.loc["community", "baseline"] == pytest.approx(
        4 * moved
    )
    assert any("20%" in line for line in p.assumptions.describe())


def test_an_ageing_population_grows_demand(store: InsightStore) -> None:
    p = project(store)
    assert p.over65_growth() > 0
    totals = p.demand[p.demand.scenario == "baseline"].groupby("year").cost.sum()
    assert totals.iloc[-1] > totals.iloc[0]


def test_the_cached_per_person_table_gives_the_same_projection(
    store: InsightStore, tmp_path: Path
) -> None:
    table = dashboards.segments_table(store, 2024, tmp_path)
    a = Assumptions(shift_share=0.2)
    from_store, from_table = project(store, a), project(store, a, table=table)
    pd.testing.assert_frame_equal(from_store.population, from_table.population)
    key = ["year", "scenario", "setting"]
    pd.testing.assert_frame_equal(
        from_store.demand.sort_values(key).reset_index(drop=True),
        from_table.demand.sort_values(key).reset_index(drop=True),
        rtol=1e-9,
    )
