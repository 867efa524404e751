"""Deprivation on every person, and inequalities by IMD quintile with the slope index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stpkit.disclosure import policy_named
from stpkit.kid.analyses.inequalities import QUINTILE_NAMES, ridits, slope_index
from stpkit.kid.governed import InsightStore, open_store
from stpkit.kid.governed.inequalities import inequalities
from stpkit.kid.sources import SampleSpec, write_sample
from stpkit.reference import public


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=6_000, practices=12, years=(2024,))
    )
    return open_store(path)


def test_ridits_are_cumulative_population_midpoints() -> None:
    assert ridits(np.array([100, 300])).tolist() == [0.125, 0.625]
    assert np.allclose(ridits(np.full(5, 20)), [0.1, 0.3, 0.5, 0.7, 0.9])


def test_slope_index_by_hand_equal_groups() -> None:
    # Rates fall by 2 a quintile; ridits 0.1 .. 0.9 step 0.2: slope -10 per unit rank, so
    # the line runs from 11 at the most deprived end to 1 at the least deprived end.
    s = slope_index(np.array([10.0, 8, 6, 4, 2]), np.full(5, 100))
    assert s.sii == pytest.approx(10.0)
    assert s.most == pytest.approx(11.0) and s.least == pytest.approx(1.0)
    assert s.rii == pytest.approx(11.0)


def test_slope_index_by_hand_unequal_groups() -> None:
    # Ridits 0.125 and 0.625; two points fit exactly: slope (3 - 5) / 0.5 = -4, so SII 4;
    # the line at 0 is 5 + 4 * 0.125 = 5.5, at 1 it is 1.5.
    s = slope_index(np.array([5.0, 3.0]), np.array([100, 300]))
    assert s.sii == pytest.approx(4.0)
    assert s.most == pytest.approx(5.5) and s.least == pytest.approx(1.5)


def test_slope_index_weights_the_fit_by_population() -> None:
    # Three groups off a line: weighted least squares by hand.
    y, w = np.array([9.0, 4.0, 5.0]), np.array([10.0, 60.0, 30.0])
    x = np.array([0.05, 0.4, 0.85])
    xm, ym = np.average(x, weights=w), np.average(y, weights=w)
    b = np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2)
    assert slope_index(y, w).sii == pytest.approx(-b)
    with pytest.raises(ValueError, match="two groups"):
        slope_index(np.array([1.0]), np.array([5.0]))


def test_every_person_has_their_lsoa_deprivation(store: InsightStore) -> None:
    people = store.con.execute("SELECT lsoa_code, imd_decile, imd_quintile FROM person").df()
    assert people.imd_quintile.notna().all()
    real = public.imd(people.lsoa_code.unique().tolist()).set_index("lsoa_code")
    assert (people.imd_decile.to_numpy() == real.imd_decile.loc[people.lsoa_code].to_numpy()).all()
    assert ((people.imd_decile + 1) // 2 == people.imd_quintile).all()


def test_published_inequalities_pass_the_policy_and_show_the_gradient(
    store: InsightStore, tmp_path: Path
) -> None:
    policy = policy_named("opensafely")
    result = inequalities(store, 2024, tmp_path, policy)
    assert [r["quintile"] for r in result.rows] == list(QUINTILE_NAMES.values())
    raw = store.con.execute(
        "SELECT imd_quintile, count(*) FROM person WHERE death_month IS NULL OR "
        "death_month >= '2024-01' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    for row, (_, n) in zip(result.rows, raw, strict=True):
        assert row["people"] == policy.apply(int(n))  # published, not raw
        assert row["people"] % 5 == 0
    cost = result.gap("cost")
    assert cost is not None and cost["sii"] is not None
    # Activity rises with deprivation in the synthetic data: the most deprived cost more.
    emergency = result.gap("ae")
    assert emergency is not None and emergency["sii"] > 0 and emergency["gap"] > 0
    # The SII is computed from the published rows (reproducible from the page alone).
    pub = np.array([r["ae"] for r in result.rows], dtype=float)
    people = np.array([r["people"] for r in result.rows], dtype=float)
    assert emergency["sii"] == pytest.approx(round(slope_index(pub, people).sii, 1))
    shares = [sum(v for k, v in r.items() if k != "quintile") for r in result.segments]
    assert all(95 <= s <= 105 for s in shares)  # segment shares of each quintile's people


def test_small_populations_hide_measures_and_the_slope(tmp_path: Path) -> None:
    small = open_store(
        write_sample(tmp_path / "s", SampleSpec(people=40, practices=3, years=(2024,)))
    )
    result = inequalities(small, 2024, tmp_path / "cache", policy_named("opensafely"), "65+")
    assert all(r["people"] in (None, 0) or r["people"] > 7 for r in result.rows)
    assert all(g["sii"] is None for g in result.gaps)
    with pytest.raises(ValueError, match="unknown population"):
        inequalities(small, 2024, tmp_path / "cache", policy_named("opensafely"), "nobody")
