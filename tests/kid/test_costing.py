"""Year-of-care costing over a store: per person, per setting, per group."""

from __future__ import annotations

import pytest

from stpkit.kid.costing import cost_summary, person_costs
from stpkit.kid.insight_store import SETTINGS, InsightStore, open_store
from stpkit.kid.sample_store import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    return open_store(
        write_sample(tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=2_000, practices=10))
    )


def test_every_registered_person_is_costed_and_totals_match_the_activity(
    store: InsightStore,
) -> None:
    costs = person_costs(store, 2024)
    assert len(costs) == store.people() and costs.person_token.is_unique
    total = store.con.execute("SELECT sum(cost) FROM activity WHERE year = 2024").fetchone()
    assert total is not None
    assert costs.total.sum() == pytest.approx(total[0])
    by_setting = sum(costs[f"cost_{s}"].sum() for s in SETTINGS)
    assert by_setting == pytest.approx(costs.total.sum())
    assert (costs.total >= 0).all() and (costs.total == 0).any()


def test_cost_per_person_divides_by_everyone_registered(store: InsightStore) -> None:
    costs = person_costs(store, 2024)
    summary = cost_summary(costs, "practice_code")
    assert summary.people.sum() == store.people()
    row = summary.iloc[0]
    assert row.cost_per_person == pytest.approx(row.total / row.people)
    older = cost_summary(costs.assign(older=costs.age >= 65), "older").set_index("older")
    assert older.loc[True, "cost_per_person"] > older.loc[False, "cost_per_person"]
