"""The governed figures behind the data pages that used to run SQL in the web layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from stpkit.disclosure import DEFAULT_POLICY
from stpkit.kid.analyses import Assumptions
from stpkit.kid.governed import (
    TIER_TITLES,
    AggregateQuery,
    InsightStore,
    demand_projection,
    local_care,
    open_store,
    overview,
    protect_answer,
    published_answer,
    run_raw,
)
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    return open_store(
        write_sample(tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=3_000, practices=20))
    )


def _published(value: int | None) -> bool:
    return value is None or value == 0 or (value > 7 and value % 5 == 0)


def test_the_overview_counts_pass_the_policy_and_cost_is_to_the_thousand(
    store: InsightStore,
) -> None:
    figures = overview(store, 2024, DEFAULT_POLICY)
    row = store.con.execute("SELECT sum(cost), count(*) FROM activity WHERE year = 2024").fetchone()
    assert row is not None
    assert figures.people == DEFAULT_POLICY.apply(store.people())
    assert figures.contacts == DEFAULT_POLICY.apply(int(row[1]))
    assert _published(figures.people) and _published(figures.contacts)
    assert figures.cost == round(float(row[0]), -3) and figures.cost % 1000 == 0
    assert figures.cost_per_person == round(float(row[0]) / store.people())


def test_a_published_answer_is_the_protected_raw_answer(store: InsightStore) -> None:
    q = AggregateQuery.build("activity", ["practice_code", "setting"], {"year": ["2024"]})
    answer = published_answer(store, q, DEFAULT_POLICY)
    assert answer.rows() == protect_answer(q, run_raw(store, q), DEFAULT_POLICY).rows()
    people = [r["people"] for r in answer.rows()]
    assert people and all(_published(p) for p in people)
    assert any(p is None for p in people)  # 20 practices x 7 settings: some cells are small


@pytest.mark.parametrize("tier", list(TIER_TITLES))
def test_local_care_groups_every_practice_once_and_maps_lsoas_to_groups(
    store: InsightStore, tier: str
) -> None:
    care = local_care(store, 2024, tier, scale=100.0)
    assert set(care.counts) == set(TIER_TITLES) and care.counts[tier] == len(care.rows)
    assert sum(r["practices"] for r in care.rows) == 20
    assert all(r["population"] % 10 == 0 and r["cost"] % 1000 == 0 for r in care.rows)
    names = {r["name"] for r in care.rows}
    assert set(care.lsoa_groups.group.dropna()) <= names
    assert care.flagged == sum(r["problem"] != "Within bounds" for r in care.rows)


def test_local_care_refuses_an_unknown_tier(store: InsightStore) -> None:
    with pytest.raises(ValueError, match="unknown tier"):
        local_care(store, 2024, "hamlet")


def test_the_published_projection_is_scaled_and_rounded(
    store: InsightStore, tmp_path: Path
) -> None:
    published = demand_projection(store, Assumptions(), tmp_path, scale=7.0)
    assert (published.population.people % 10 == 0).all()
    assert (published.demand.activity % 5 == 0).all()
    assert (published.demand.cost % 1000 == 0).all()
    raw = published.projection.population.groupby("year").people.sum()
    shown = published.population.groupby("year").people.sum()
    assert shown.iloc[0] == pytest.approx(7.0 * raw.iloc[0], rel=0.01)
    last = published.projection.base_year + 5
    assert published.total_cost(last).keys() == set(published.demand.scenario)
