"""Risk stratification: who is likely to have an emergency admission in the next 12 months.

A transparent model, L2-regularised logistic regression (scikit-learn), on features a care
team can read: age band, sex, each long-term condition and their count, use of care in the
months before the index date (emergency and other admissions, A&E, outpatient, GP,
community and social care contacts) and the IMD quintile of the LSOA. The outcome is at
least one emergency admission in the 12 months from the index date.

**Periods** (`risk_windows`): with `M` months of activity, prior use is counted over `P`
months (6 if the store has under three years, else 12). The model is *trained* at index
date `end - 12 - P` months and *tested* on a later, held-out index date `end - 12` months
(temporal validation: the test people's features and outcomes are from later months than
the training features; with two years of data the two outcome windows overlap by six
months, which pages state). It then *scores* everyone alive at the end of the store
(prior use in the last `P` months) for the 12 months to come.

Conditions are the store's registers without dates, so a condition counts as known at
every index date. Discrimination is the area under the ROC curve on the test period;
calibration is observed against predicted risk by tenth of predicted risk.

**Training sample.** When more than `MAX_TRAIN_ROWS` people are alive at the training
index date, the model is fitted on a random sample of exactly `MAX_TRAIN_ROWS` of them
(`training_sample`: people ordered by a hash of their pseudonymous token, which is itself
a keyed hash, so the order is random and the same on every run of a store version); it
is then tested on *everyone* at the held-out date and scores everyone. The coefficients of
a model of ~40 features are settled long before 1.8M rows; the test AUC is on the full
population.

**Speed.** The features of all three dates come from one reading of the activity
(`risk_features.window_features`, checked row for row against the one-date definition
`risk_features.features`); rows are in the order of the token's hash, so a store version's
fit, ties in the ranking of risk included, is the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from stpkit.kid.analyses.risk_features import PRIOR_USE, Window, add_months, window_features
from stpkit.kid.analyses.risk_features import features as features  # the definition
from stpkit.kid.errors import StoreError
from stpkit.kid.pipeline.insight_store import InsightStore

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("age 0-17", 0, 17), ("age 18-44", 18, 44), ("age 45-64", 45, 64),
    ("age 65-74", 65, 74), ("age 75-84", 75, 84), ("age 85+", 85, 200),
)  # fmt: skip
REFERENCE_AGE = "age 45-64"
# Tiers of predicted risk, by rank: (key, label, share of people from the top)
TIERS: tuple[tuple[str, str, float], ...] = (
    ("very_high", "Very high (top 0.5%)", 0.005),
    ("high", "High (next 4.5%)", 0.05),
    ("moderate", "Moderate (next 15%)", 0.20),
    ("low", "Low (the other 80%)", 1.0),
)
MIN_MONTHS = 18
# Training people beyond this are sampled (at random, `training_sample`): the coefficients
# of a model of ~40 features are settled long before 1.8M rows; fitting stays in seconds.
MAX_TRAIN_ROWS = 250_000


@dataclass(frozen=True)
class RiskWindows:
    prior_months: int
    train_index: date
    test_index: date
    score_index: date

    def describe(self) -> list[str]:
        p = self.prior_months
        return [
            f"Trained at {self.train_index:%B %Y}: use of care in the {p} months before, "
            f"emergency admissions in the 12 months after.",
            f"Tested (held out) at {self.test_index:%B %Y}: the same for later months.",
            f"Scored at {self.score_index:%B %Y}: everyone alive, for the 12 months to come.",
        ]


def risk_windows(store: InsightStore) -> RiskWindows:
    """The training, test and scoring index dates the store's months allow."""
    years = store.years()
    if not years:
        raise StoreError(f"{store.path}: the store has no activity")
    start, end = date(years[0], 1, 1), date(years[-1] + 1, 1, 1)
    months = (end.year - start.year) * 12
    if months < MIN_MONTHS:
        raise StoreError(
            f"{store.path}: risk stratification needs at least {MIN_MONTHS} months of "
            f"activity to train and test on different periods; the store has {months}"
        )
    prior = 6 if months < 36 else 12
    test = add_months(end, -12)
    return RiskWindows(prior, add_months(test, -prior), test, end)


def conditions(store: InsightStore) -> list[str]:
    rows = store.con.execute("SELECT DISTINCT condition FROM condition ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


def _columns(frame: pd.DataFrame, condition_names: list[str]) -> Iterator[tuple[str, np.ndarray]]:
    """The model's columns, each with a readable name (reference groups left out)."""
    age = frame.age.to_numpy()
    for label, lo, hi in AGE_BANDS:
        if label != REFERENCE_AGE:
            yield label, ((age >= lo) & (age <= hi)).astype(float)
    yield "female", frame.female.fillna(False).to_numpy(float)
    for i, c in enumerate(condition_names):
        yield c.replace("_", " "), frame[f"c_{i}"].to_numpy(float)
    yield "number of conditions", frame.n_conditions.to_numpy(float)
    for name, (label, _, cap) in PRIOR_USE.items():
        yield label, np.minimum(frame[name].to_numpy(float), cap)
    quintile = frame.imd_quintile.fillna(3).to_numpy()
    for q in (1, 2, 3, 4):
        yield (
            f"IMD quintile {q}" + (" (most deprived)" if q == 1 else ""),
            (quintile == q).astype(float),
        )


def design(frame: pd.DataFrame, condition_names: list[str]) -> tuple[np.ndarray, list[str]]:
    """The model's matrix and a readable name per column (reference groups left out)."""
    columns = list(_columns(frame, condition_names))
    matrix = np.empty((len(frame), len(columns)))
    for j, (_, column) in enumerate(columns):
        matrix[:, j] = column
    return matrix, [label for label, _ in columns]


def predicted(
    frame: pd.DataFrame, condition_names: list[str], weights: np.ndarray, intercept: float
) -> np.ndarray:
    """Each row's risk: the logistic of the intercept plus each column times its weight
    (the log of its odds ratio), summed a column at a time, so that scoring everyone
    never holds a matrix of everyone."""
    eta = np.full(len(frame), intercept)
    for (_, column), weight in zip(_columns(frame, condition_names), weights, strict=True):
        eta += weight * column
    return np.asarray(expit(eta))


@dataclass
class RiskModel:
    """The fitted model, its test-period performance and the scored population."""

    windows: RiskWindows
    coefficients: pd.DataFrame  # feature, odds_ratio (per unit of the feature)
    intercept: float
    auc: float
    brier: float
    train_people: int
    test_people: int
    test_rate: float  # observed share with an emergency admission in the test period
    calibration: pd.DataFrame  # tenth, people, predicted, observed (shares)
    scored: pd.DataFrame  # practice_code, locality, risk, tier (one row a person, no token)


def tiers_of(risk: np.ndarray) -> np.ndarray:
    """Tier key per person from the rank of their risk (ties broken by order)."""
    order = np.argsort(-risk, kind="stable")
    share = np.empty(len(risk))
    share[order] = (np.arange(len(risk)) + 1) / max(len(risk), 1)
    keys = [t for t, _, _ in TIERS]
    bounds = np.array([b for _, _, b in TIERS])
    return np.asarray(keys)[np.minimum(np.searchsorted(bounds, share, side="left"), len(keys) - 1)]


def training_sample(store: InsightStore, index: date) -> int | None:
    """`MAX_TRAIN_ROWS` when more people than that are alive at `index`, else None (all)."""
    row = store.con.execute(
        "SELECT count(*) FROM person WHERE (death_month IS NULL OR death_month >= ?) "
        "AND age - ? >= 0",
        [f"{index:%Y-%m}", store.reference_date.year - index.year],
    ).fetchone()
    alive = int(row[0]) if row else 0
    return MAX_TRAIN_ROWS if alive > MAX_TRAIN_ROWS else None


def fit_risk(store: InsightStore, c: float = 1.0) -> RiskModel:
    """Train on the earlier period, test on the held-out later one, score the population."""
    w = risk_windows(store)
    names = conditions(store)
    train, test, now = window_features(
        store,
        [
            Window(w.train_index, w.prior_months, sample=training_sample(store, w.train_index)),
            Window(w.test_index, w.prior_months),
            Window(w.score_index, w.prior_months, with_outcome=False),
        ],
        names,
    )
    x_train, labels = design(train, names)
    mean, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=500)
    model.fit((x_train - mean) / sd, train.outcome.to_numpy())
    # On the features' own scale: log odds ratios, and the intercept at every feature 0.
    weights = model.coef_[0] / sd
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / sd))
    p_test = predicted(test, names, weights, intercept)
    y_test = test.outcome.to_numpy()
    rank = np.empty(len(p_test), dtype=np.int64)
    rank[np.argsort(p_test)] = np.arange(len(p_test))
    tenth = np.minimum((rank * 10) // max(len(p_test), 1), 9)
    calibration = (
        pd.DataFrame({"tenth": tenth + 1, "predicted": p_test, "observed": y_test.astype(float)})
        .groupby("tenth")
        .agg(people=("predicted", "size"), predicted=("predicted", "mean"),
             observed=("observed", "mean"))
        .reset_index()
    )  # fmt: skip
    risk = predicted(now, names, weights, intercept)
    scored = now[["practice_code", "locality"]].assign(risk=risk, tier=tiers_of(risk))
    return RiskModel(
        windows=w,
        coefficients=pd.DataFrame({"feature": labels, "odds_ratio": np.exp(weights)}),
        intercept=intercept,
        auc=float(roc_auc_score(y_test, p_test)) if 0 < y_test.sum() < len(y_test) else 0.5,
        brier=float(brier_score_loss(y_test, p_test)),
        train_people=len(train),
        test_people=len(test),
        test_rate=float(y_test.mean()) if len(y_test) else 0.0,
        calibration=calibration,
        scored=scored,
    )
