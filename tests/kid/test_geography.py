"""The synthetic population on real geography: real practices, list sizes and QOF prevalence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stpkit.kid.sources.geography import (
    QOF_TO_CONDITION,
    cell_counts,
    draw_registered,
    largest_remainder,
    real_geography,
)
from stpkit.reference import public

PEOPLE = 40_000  # about 2% of the real 1.96M: most practices get 50+ people


@pytest.fixture(scope="module")
def drawn() -> pd.DataFrame:
    people = draw_registered(PEOPLE, np.random.default_rng(3))
    return pd.DataFrame(
        {"practice": people.practice, "lsoa": people.lsoa_code, "age": people.age, **people.ltc}
    )


def test_practices_are_the_real_kent_and_medway_practices() -> None:
    geo = real_geography()
    names = public.practices(list(geo.list_sizes().index))
    assert len(geo.list_sizes()) == 192
    assert set(names.practice_code) == set(geo.list_sizes().index)
    assert geo.registered_total == 1_960_615
    # Every LSOA drawn on is a Kent and Medway LSOA of the real registrations file.
    reg = public.registrations(geo.cells.lsoa_code.unique().tolist())
    real = reg[reg.practice_code.isin(geo.list_sizes().index)].patients.sum()
    assert real == geo.registered_total


def test_list_sizes_within_one_percent_of_the_real_file_scaled(drawn: pd.DataFrame) -> None:
    geo = real_geography()
    real = geo.list_sizes()
    expected = real * PEOPLE / real.sum()
    got = drawn.groupby("practice").size().reindex(real.index, fill_value=0)
    assert got.sum() == PEOPLE
    big = expected >= 50  # below 50 people a single person is more than 1%
    assert big.sum() >= 170
    rel = (got[big] - expected[big]).abs() / expected[big]
    assert rel.max() <= 0.01
    assert (got - expected).abs().max() < 1  # rounding to whole people, nothing else


def test_qof_prevalence_within_one_point_per_practice_and_register(drawn: pd.DataFrame) -> None:
    geo = real_geography()
    codes = list(QOF_TO_CONDITION.values())
    sizes = drawn.groupby("practice").size()
    got = drawn.groupby("practice")[codes].mean()
    real = geo.prevalence.reindex(got.index)
    big = sizes >= 50
    gap = (got[big] - real[big]).abs()
    assert gap.max().max() <= 0.01, gap.max().sort_values().tail(3)
    # The registers differ between practices as the real file does (not one national rate).
    assert got.loc[big, "DM"].std() > 0.01


def test_conditions_rise_with_age_and_cluster(drawn: pd.DataFrame) -> None:
    old, young = drawn[drawn.age >= 75], drawn[drawn.age < 40]
    assert old.DEM.mean() > 20 * max(young.DEM.mean(), 1e-4)
    assert old.HF.mean() > 5 * young.HF.mean()
    count = drawn[list(QOF_TO_CONDITION.values())].sum(axis=1)
    # Shared frailty: more people with 3+ conditions than if registers were independent.
    p = drawn[list(QOF_TO_CONDITION.values())].mean()
    assert (count >= 3).mean() > 0.0 and count.max() >= 5
    assert count.var() > (p * (1 - p)).sum()


def test_full_scale_counts_are_the_real_counts() -> None:
    geo = real_geography()
    counts = cell_counts(geo, geo.registered_total)
    assert np.array_equal(counts, geo.cells.patients.to_numpy())


def test_largest_remainder_hits_each_group_total() -> None:
    exact = np.array([0.4, 0.4, 0.2, 1.5, 1.5])
    groups = np.array([0, 0, 0, 1, 1])
    got = largest_remainder(exact, groups, np.array([1, 3]))
    assert got.tolist()[:3].count(1) == 1 and got[:3].sum() == 1
    assert got[3:].sum() == 3 and set(got[3:].tolist()) == {1, 2}
