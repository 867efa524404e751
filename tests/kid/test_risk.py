"""Risk stratification: periods, discrimination, calibration, tiers and what is published."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from stpkit.disclosure import policy_named
from stpkit.kid import StoreError
from stpkit.kid.analyses.risk import TIERS, risk_windows, tiers_of
from stpkit.kid.governed import InsightStore, open_store
from stpkit.kid.governed.risk import published_risk, risk_model
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s",
        SampleSpec(people=5_000, practices=12, years=(2023, 2024)),
    )
    return open_store(path)


def test_train_test_and_score_periods_follow_each_other(store: InsightStore) -> None:
    w = risk_windows(store)
    assert w.prior_months == 6
    assert (w.train_index, w.test_index, w.score_index) == (
        date(2023, 7, 1),
        date(2024, 1, 1),
        date(2025, 1, 1),
    )


def test_one_year_is_too_short_to_test_on_a_later_period(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    one = open_store(
        write_sample(
            tmp_path_factory.mktemp("one") / "s", SampleSpec(people=300, practices=3, years=(2024,))
        )
    )
    with pytest.raises(StoreError, match="at least 18 months"):
        risk_windows(one)


def test_model_discriminates_and_is_calibrated_on_the_held_out_period(store: InsightStore) -> None:
    m = risk_model(store)
    assert 0.7 < m.auc < 0.99  # age, conditions and use drive admissions in the data
    cal = m.calibration
    assert len(cal) == 10 and cal.people.sum() == m.test_people
    # Observed rises with predicted risk, and the top tenth is within 5 points of predicted.
    assert cal.observed.iloc[-1] > 3 * cal.observed.iloc[0]
    assert abs(cal.observed.iloc[-1] - cal.predicted.iloc[-1]) < 0.05
    assert abs(cal.observed.mean() - cal.predicted.mean()) < 0.02  # calibration in the large
    odds = dict(zip(m.coefficients.feature, m.coefficients.odds_ratio, strict=True))
    assert odds["age 85+"] > 1 > odds["age 0-17"]
    assert odds["IMD quintile 1 (most deprived)"] > 1  # deprivation adds risk, as generated
    # Scored: everyone alive at the end, each in one tier, tiers the stated shares.
    alive = store.con.execute("SELECT count(*) FROM person WHERE death_month IS NULL").fetchone()
    assert alive is not None and len(m.scored) == alive[0]
    share = m.scored.tier.value_counts(normalize=True)
    assert share["very_high"] == pytest.approx(0.005, abs=0.001)
    assert share["low"] == pytest.approx(0.80, abs=0.002)
    top = m.scored[m.scored.tier == "very_high"].risk.min()
    assert top >= m.scored[m.scored.tier == "high"].risk.max()


def test_tiers_by_rank() -> None:
    risk = np.linspace(1, 0, 1000)
    tiers = tiers_of(risk)
    assert (tiers[:5] == "very_high").all() and tiers[5] == "high"
    assert (tiers[5:50] == "high").all() and (tiers[50:200] == "moderate").all()
    assert (tiers[200:] == "low").all()
    assert [t for t, _, _ in TIERS] == ["very_high", "high", "moderate", "low"]


def test_published_tiers_pass_the_policy(store: InsightStore) -> None:
    policy = policy_named("opensafely")
    pub = published_risk(store, policy, "practice_code")
    scored = risk_model(store).scored
    assert len(pub.tiers) == scored.practice_code.nunique()
    for row in pub.tiers:
        raw = scored[scored.practice_code == row["group"]]
        assert row["people"] == policy.apply(len(raw))
        for t, _, _ in TIERS:
            n = int((raw.tier == t).sum())
            assert row[t] in (None, policy.apply(n)) and (row[t] is None or row[t] % 5 == 0)
            assert n > 7 or not row[t]  # small counts never shown
    assert all(c["people"] is None or c["people"] % 5 == 0 for c in pub.calibration)
    assert 0.7 < pub.auc < 0.99
    with pytest.raises(ValueError, match="unknown grouping"):
        published_risk(store, policy, "lsoa_code")


def test_a_large_population_trains_on_a_random_sample_of_the_stated_size(
    store: InsightStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stpkit.kid.analyses import risk

    w = risk_windows(store)
    names = risk.conditions(store)
    everyone = risk.features(store, w.train_index, w.prior_months, names)
    assert risk.training_sample(store, w.train_index) is None  # 5,000 people: all of them
    monkeypatch.setattr(risk, "MAX_TRAIN_ROWS", 1_000)
    assert risk.training_sample(store, w.train_index) == 1_000
    sample = risk.features(store, w.train_index, w.prior_months, names, sample=1_000)
    again = risk.features(store, w.train_index, w.prior_months, names, sample=1_000)

    # the same people on every run (`features`' rows come in no set order: sort to compare)
    def in_order(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(list(frame.columns)).reset_index(drop=True)

    assert len(sample) == 1_000 and in_order(sample).equals(in_order(again))
    # Each sampled person's features are theirs in the full table (only their activity
    # was read, none of it lost): every sampled row is a row of the full table.
    cols = list(everyone.columns)
    full = everyone.astype(str).apply("|".join, axis=1).value_counts()
    mine = sample[cols].astype(str).apply("|".join, axis=1).value_counts()
    assert all(full.get(k, 0) >= n for k, n in mine.items())
    # A random sample: its outcome rate and ages are near everyone's.
    assert abs(sample.outcome.mean() - everyone.outcome.mean()) < 0.03
    assert abs(sample.age.mean() - everyone.age.mean()) < 3
    m = risk.fit_risk(store)
    assert m.train_people == 1_000 and m.test_people > 1_000  # tested on everyone
    assert len(m.scored) > 1_000 and m.auc > 0.6
