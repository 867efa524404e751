"""The population pages' figures: funnel plot limits, pyramid and LSOA measures."""

from __future__ import annotations

import pandas as pd
import pytest

from stpkit.disclosure import DEFAULT_POLICY, POLICIES
from stpkit.kid.governed import InsightStore, dashboards, open_store
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    return open_store(
        write_sample(
            tmp_path_factory.mktemp("kid") / "s",
            SampleSpec(people=6_000, practices=12, years=(2024,)),
        )
    )


def test_funnel_counts_each_registered_person_once_with_limits_around_the_rate(
    store: InsightStore,
) -> None:
    frame = dashboards.practice_emergency_admissions(store, 2024, POLICIES["nhs_digital"])
    alive = store.con.execute(
        "SELECT count(*) FROM person WHERE death_month IS NULL OR death_month >= '2024-01'"
    ).fetchone()
    admissions = store.con.execute(
        "SELECT count(*) FROM activity WHERE setting = 'apc' AND emergency AND year = 2024"
    ).fetchone()
    assert alive is not None and admissions is not None
    # People with several admissions are still one registered person each.
    assert sum(frame.registered) == alive[0]
    assert sum(frame.admissions) == admissions[0]
    overall = frame.overall_rate_per_1000.iloc[0]
    assert overall == pytest.approx(1000 * admissions[0] / alive[0], abs=0.01)
    for r in frame.itertuples():
        assert r.lower_998 <= r.lower_95 <= overall <= r.upper_95 <= r.upper_998
        expected = (
            "high"
            if r.rate_per_1000 > r.upper_998
            else "low"
            if r.rate_per_1000 < r.lower_998
            else ""
        )
        assert r.outlier == expected


def test_published_rates_come_from_published_counts(store: InsightStore) -> None:
    frame = dashboards.practice_emergency_admissions(store, 2024, DEFAULT_POLICY)
    for r in frame.itertuples():
        assert r.registered % 5 == 0 and r.admissions % 5 == 0
        assert r.rate_per_1000 == pytest.approx(1000 * r.admissions / r.registered, abs=0.01)
    lsoa = dashboards.lsoa_measures(store, 2024, DEFAULT_POLICY)
    hidden = lsoa[lsoa.people.isna()]
    assert not hidden.empty and hidden.cost_per_person.isna().all()
    assert hidden.admissions_per_1000.isna().all()


def test_the_pyramid_is_todays_population_by_age_and_sex(store: InsightStore) -> None:
    frame = dashboards.pyramid(store, POLICIES["nhs_digital"])
    assert sum(p for p in frame.people if p is not None) <= store.people()
    assert set(frame.sex) == {"F", "M"} and frame.age_band.iloc[0] == "0-4"


def test_sums_from_the_per_person_table_equal_the_joined_activity(
    store: InsightStore, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from stpkit.kid.governed import memo

    table = dashboards.segments_table(store, 2024, tmp_path_factory.mktemp("cache"))
    for policy in (DEFAULT_POLICY, POLICIES["nhs_digital"]):
        memo.forget()
        joined = dashboards.lsoa_measures(store, 2024, policy)
        memo.forget()
        summed = dashboards.lsoa_measures(store, 2024, policy, table)
        pd.testing.assert_frame_equal(summed, joined)
        memo.forget()
        joined = dashboards.practice_emergency_admissions(store, 2024, policy)
        memo.forget()
        summed = dashboards.practice_emergency_admissions(store, 2024, policy, table)
        pd.testing.assert_frame_equal(summed, joined)


def test_published_figures_are_kept_per_store_version_and_policy(store: InsightStore) -> None:
    first = dashboards.trends(store, DEFAULT_POLICY)
    first.loc[0, "activity"] = -1  # a caller changing its copy changes nothing kept
    again = dashboards.trends(store, DEFAULT_POLICY)
    assert again.activity.iloc[0] != -1
    other = dashboards.trends(store, POLICIES["nhs_digital"])
    assert other.activity.tolist() != again.activity.tolist()
