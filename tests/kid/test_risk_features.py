"""The risk model's fast features (one reading of the activity for every date) are exactly
the one-date definition's, person for person, on a store with the awkward cases added:
contacts on every cut date, a contact of no kind, an admission with no emergency flag,
deaths either side of an index month, a baby born between the dates, an unknown sex and
LSOA, a condition row with no name and one given twice, activity of nobody registered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stpkit.kid.analyses import risk
from stpkit.kid.analyses.risk_features import Window, features, window_features
from stpkit.kid.governed import InsightStore, open_store
from stpkit.kid.sources import SampleSpec, write_sample

ODD = [f"{'f' * 32}{i:08d}" for i in range(6)]
# Each odd person's contacts: every kind (and one of none, and an admission with no
# emergency flag) on every cut date of the three windows and the day before each.
KINDS = [("apc", True), ("apc", False), ("apc", None), ("gp", False), ("dental", False),
         ("ae", True)]  # fmt: skip
DAYS = ["2023-01-01", "2023-06-30", "2023-07-01", "2023-12-31", "2024-01-01", "2024-06-30",
        "2024-07-01", "2024-12-30"]  # fmt: skip


def _add(path: Path, name: str, rows: list[dict[str, object]]) -> None:
    file = path / f"{name}.parquet"
    frame = pd.read_parquet(file)
    # Flags as nullable booleans, so that a missing one stays missing.
    kinds = {c: "boolean" if frame[c].dtype == bool else frame[c].dtype for c in rows[0]}
    extra = pd.DataFrame(rows).astype(kinds)
    pd.concat([frame, extra], ignore_index=True).to_parquet(file, index=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s",
        SampleSpec(people=3_000, practices=8, years=(2023, 2024)),
    )
    some = pd.read_parquet(path / "person.parquet").iloc[0]
    person = {"birth_ym": "1950-05", "sex": "F", "lsoa_code": some.lsoa_code,
              "practice_code": some.practice_code, "death_month": None}  # fmt: skip
    _add(
        path,
        "person",
        [
            {**person, "person_token": ODD[0], "sex": None, "lsoa_code": "W01000001"},
            {**person, "person_token": ODD[1], "death_month": "2023-07"},  # the train month
            {**person, "person_token": ODD[2], "death_month": "2023-06"},  # the month before
            {**person, "person_token": ODD[3], "birth_ym": "2024-03", "sex": "2"},
            {**person, "person_token": ODD[4], "death_month": "2024-12"},
        ],
    )
    contacts = [
        (token, setting, emergency, day)
        for token in ODD[:5]
        for setting, emergency in KINDS
        for day in DAYS
    ] + [(ODD[5], "apc", True, "2024-02-02")]  # activity of nobody registered
    row = {"provider": "RXX", "currency": "X", "cost": 1.0}
    _add(
        path,
        "activity",
        [
            {
                **row,
                "person_token": t,
                "setting": s,
                "emergency": e,
                "activity_date": pd.Timestamp(d),
            }
            for t, s, e, d in contacts
        ],
    )
    _add(
        path,
        "condition",
        [
            {"person_token": ODD[0], "condition": "diabetes"},
            {"person_token": ODD[0], "condition": "diabetes"},
            {"person_token": ODD[0], "condition": None},
            {"person_token": ODD[4], "condition": "asthma"},
        ],
    )
    return open_store(path)


def _by_token(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("token").reset_index(drop=True)


def _windows(store: InsightStore) -> list[Window]:
    w = risk.risk_windows(store)
    return [
        Window(w.train_index, w.prior_months, sample=1_000),
        Window(w.test_index, w.prior_months),
        Window(w.score_index, w.prior_months, with_outcome=False),
    ]


def test_the_fast_features_are_the_definition_person_for_person(store: InsightStore) -> None:
    names = risk.conditions(store)
    windows = _windows(store)
    fast = window_features(store, windows, names, tokens=True)
    for w, got in zip(windows, fast, strict=True):
        want = features(
            store, w.index, w.prior_months, names, w.with_outcome, w.sample, tokens=True
        )
        assert len(got) == len(want) and got.token.is_unique
        got, want = _by_token(got), _by_token(want)
        # Values equal, missing ones included; a column's dtype may differ where only one
        # side holds a missing value (the engine's conversion: bool or nullable boolean).
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        # And the model sees the same numbers.
        np.testing.assert_array_equal(risk.design(got, names)[0], risk.design(want, names)[0])
    train, test, now = fast
    # The awkward people are where the definition puts them.
    # Tested at January 2024: dead by then (July and June 2023) are out; the baby of March
    # 2024 is in (ages move by whole years); scored at January 2025 the December death out.
    assert set(ODD[:5]) - set(test.token) == {ODD[1], ODD[2]}
    assert ODD[3] in set(now.token) and ODD[4] not in set(now.token)
    odd = test.set_index("token").loc[ODD[0]]
    assert pd.isna(odd.imd_quintile) and pd.isna(odd.female) and odd.n_conditions == 2
    assert odd.prior_emergency == 2 and odd.prior_other_apc == 2 and odd.outcome
    # The training sample is the first 1,000 alive in the order of the token's hash, and
    # its rows come in that order.
    month, shift = f"{windows[0].index:%Y-%m}", store.reference_date.year - windows[0].index.year
    first = store.con.execute(
        "SELECT person_token FROM person WHERE (death_month IS NULL OR death_month >= ?) "
        "AND age - ? >= 0 ORDER BY hash(person_token), person_token LIMIT 1000",
        [month, shift],
    ).fetchall()
    assert list(train.token) == [t for (t,) in first]


def test_the_fast_features_without_a_sample_and_in_a_set_order(store: InsightStore) -> None:
    names = risk.conditions(store)
    w = _windows(store)[0]
    everyone = Window(w.index, w.prior_months)
    (got,) = window_features(store, [everyone], names, tokens=True)
    want = features(store, w.index, w.prior_months, names, tokens=True)
    pd.testing.assert_frame_equal(_by_token(got), _by_token(want), check_dtype=False)
    (again,) = window_features(store, [everyone], names, tokens=True)
    pd.testing.assert_frame_equal(got, again)  # the same rows in the same order every time


def test_the_fit_is_the_same_on_every_run(store: InsightStore) -> None:
    one, two = risk.fit_risk(store), risk.fit_risk(store)
    pd.testing.assert_frame_equal(one.scored, two.scored)  # tiers of tied risks included
    pd.testing.assert_frame_equal(one.calibration, two.calibration)
    assert one.auc == two.auc


def test_equal_hashes_are_ordered_by_token(store: InsightStore) -> None:
    from stpkit.kid.analyses.risk_features import _hash_order

    table = "risk_ties_test"
    store.con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT * FROM (VALUES (0, 'b', 7::UBIGINT), "
        "(1, 'a', 7::UBIGINT), (2, 'c', 3::UBIGINT), (3, 'd', 9::UBIGINT)) "
        "t(id, person_token, hashed)"
    )
    try:
        hashed = np.array([7, 7, 3, 9], dtype=np.uint64)
        assert list(_hash_order(store, table, hashed)) == [2, 1, 0, 3]  # 'a' before 'b'
        assert list(_hash_order(store, table, np.array([5, 1, 3], np.uint64))) == [1, 2, 0]
    finally:
        store.con.execute(f"DROP TABLE {table}")
