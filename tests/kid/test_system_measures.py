"""The system view's measures from a real (sample) store: the monthly emergency admission
rate and the inequality gap agree with counts taken straight from the store's views, and
every figure is worked from published counts (a suppressing policy removes the gap)."""

from __future__ import annotations

from datetime import date

import pytest

from stpkit.disclosure import policy_named
from stpkit.kid.governed import (
    EMERGENCY_RATE,
    INEQUALITY_GAP,
    InsightStore,
    open_store,
    system_measures,
)
from stpkit.kid.sources import SampleSpec, write_sample


class SuppressAll:
    name = "suppress-all"

    def apply(self, count: int) -> int | None:
        return None

    def describe(self) -> str:
        return "every count suppressed"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=6_000, practices=12, years=(2024,))
    )
    return open_store(path)


def _count(store: InsightStore, sql: str) -> int:
    row = store.con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_rates_agree_with_counts_from_the_store(store: InsightStore) -> None:
    policy = policy_named("nhs_digital")
    out = system_measures(store, policy)
    rates = out[EMERGENCY_RATE]
    assert rates and all(p.day == 1 for p in rates)
    period = max(rates)
    people = _count(store, "SELECT count(*) FROM person")
    admitted = _count(
        store,
        "SELECT count(*) FROM activity WHERE setting = 'apc' AND emergency "
        f"AND year = {period.year} AND month = {period.month}",
    )
    published_people, published_admitted = policy.apply(people), policy.apply(admitted)
    assert published_people and published_admitted is not None
    assert rates[period] == pytest.approx(1000 * published_admitted / published_people, abs=1e-3)
    # the gap: most deprived fifth's rate over the least deprived fifth's, where published
    assert out[INEQUALITY_GAP], "a sample of 6,000 people has both fifths admitted"
    for month, gap in out[INEQUALITY_GAP].items():
        assert gap > 0 and month in rates


def test_nothing_is_published_when_the_policy_suppresses_every_count(
    store: InsightStore,
) -> None:
    out = system_measures(store, SuppressAll())
    assert out == {EMERGENCY_RATE: {}, INEQUALITY_GAP: {}}


def test_months_are_the_stores_months(store: InsightStore) -> None:
    months = system_measures(store, policy_named("nhs_digital"))[EMERGENCY_RATE]
    assert {p.year for p in months} == {2024}
    assert date(2024, 1, 1) in months
