"""Year-of-care costing over a store: per person, per setting, per group."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stpkit.disclosure import DEFAULT_POLICY
from stpkit.kid.analyses import cost_summary, person_costs
from stpkit.kid.governed import SETTINGS, InsightStore, dashboards, lsoa_localities, open_store
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    return open_store(
        write_sample(tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=2_000, practices=10))
    )


def test_every_registered_person_is_costed_and_totals_match_the_activity(
    store: InsightStore,
) -> None:
    costs = person_costs(store, 2024)
    # Everyone alive at the start of the year counts, those who died in it too; today's
    # population (store.people) leaves them out.
    assert costs.person_token.is_unique
    assert len(costs) - int(costs.died.sum()) == store.people() and costs.died.any()
    total = store.con.execute("SELECT sum(cost) FROM activity WHERE year = 2024").fetchone()
    assert total is not None
    assert costs.total.sum() == pytest.approx(total[0])
    by_setting = sum(costs[f"cost_{s}"].sum() for s in SETTINGS)
    assert by_setting == pytest.approx(costs.total.sum())
    assert (costs.total >= 0).all() and (costs.total == 0).any()


def test_cost_per_person_divides_by_everyone_registered(store: InsightStore) -> None:
    costs = person_costs(store, 2024)
    summary = cost_summary(costs, "practice_code")
    assert summary.people.sum() == len(costs)
    row = summary.iloc[0]
    assert row.cost_per_person == pytest.approx(row.total / row.people)
    older = cost_summary(costs.assign(older=costs.age >= 65), "older").set_index("older")
    assert older.loc[True, "cost_per_person"] > older.loc[False, "cost_per_person"]


def test_locality_is_the_district_of_the_lsoa(store: InsightStore) -> None:
    rows = store.con.execute(
        "SELECT DISTINCT p.lsoa_code, p.locality FROM person p ORDER BY 1 LIMIT 50"
    ).fetchall()
    names = lsoa_localities().set_index("lsoa_code").locality
    assert all(names[lsoa] == locality for lsoa, locality in rows)
    districts = {r[0] for r in store.con.execute("SELECT DISTINCT locality FROM person").fetchall()}
    assert "Medway" in districts and "Maidstone" in districts and len(districts) <= 13


@pytest.mark.parametrize("by", list(dashboards.COST_GROUPINGS))
def test_cost_summaries_add_up_to_the_year_and_hide_small_groups(
    store: InsightStore, by: str, tmp_path: Path
) -> None:
    table = dashboards.segments_table(store, 2024, tmp_path)
    summary = dashboards.cost_summary(store, table, by, DEFAULT_POLICY)
    year_cost = store.con.execute("SELECT sum(cost) FROM activity WHERE year = 2024").fetchone()
    assert year_cost is not None
    shown = summary.dropna(subset=["cost"])
    hidden = summary[summary.people.isna()]
    # Every published count follows the OpenSAFELY rule; hidden groups show no cost at all.
    assert all(p > 7 and p % 5 == 0 for p in shown.people)
    assert hidden.cost.isna().all() and hidden.cost_per_person.isna().all()
    if by in {"setting", "locality"}:
        assert hidden.empty  # large groups, nothing hidden: the whole year's cost is there
        assert float(shown.cost.sum()) == pytest.approx(year_cost[0], abs=len(shown))
        assert shown.share_of_cost.sum() == pytest.approx(100, abs=0.5)
    else:
        assert float(shown.cost.sum()) < year_cost[0] or hidden.empty
    if by == "lsoa_code":
        assert not hidden.empty  # 2,000 people over 1,065 LSOAs: most groups are small
    first = shown.iloc[0]
    denominator = first.registered if by == "setting" else first.people
    assert first.cost_per_person == pytest.approx(first.cost / denominator, abs=0.5)


def test_people_who_died_are_failing_health_near_death_and_leave_later_years(
    tmp_path: Path,
) -> None:
    two_years = open_store(
        write_sample(tmp_path / "s", SampleSpec(people=3_000, practices=10, years=(2023, 2024)))
    )
    deaths = dict(
        two_years.con.execute(
            "SELECT substr(death_month, 1, 4), count(*) FROM person "
            "WHERE death_month IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    assert deaths.get("2023", 0) > 0 and deaths.get("2024", 0) > 0
    everyone = two_years.con.execute("SELECT count(*) FROM person").fetchone()
    assert everyone is not None
    costs_2023, costs_2024 = person_costs(two_years, 2023), person_costs(two_years, 2024)
    assert len(costs_2023) == everyone[0]
    assert len(costs_2024) == everyone[0] - deaths["2023"]  # the dead leave the denominators
    assert int(costs_2024.died.sum()) == deaths["2024"]
    table = pd.read_parquet(dashboards.segments_table(two_years, 2024, tmp_path / "cache"))
    near_death = table.bridges_segment == "Failing health near death"
    assert int(near_death.sum()) == deaths["2024"] and table[near_death].died.all()


def test_page_aggregates_are_the_sums_of_the_per_person_table(
    store: InsightStore, tmp_path: Path
) -> None:
    table = dashboards.segments_table(store, 2024, tmp_path)
    people = pd.read_parquet(table)
    sums = pd.read_parquet(dashboards.aggregates(store, table))
    for dim in ("yoc_band", "frailty", "locality", "practice_code"):
        mine = sums[sums.dim == dim].set_index("key").sort_index()
        theirs = people.groupby(dim).agg(people=("total", "size"), cost=("total", "sum"))
        theirs.index = theirs.index.astype(str)
        assert mine.people.to_dict() == theirs.people.to_dict()
        assert mine.cost.to_numpy() == pytest.approx(theirs.sort_index().cost.to_numpy())
    everyone = sums[sums.dim == "all"].iloc[0]
    assert everyone.people == len(people)
    assert everyone.people_gp == int((people.cost_gp > 0).sum())
