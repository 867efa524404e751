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
a keyed hash, so the order is random and the same on every run of a store version), and
only their activity is read; it is then tested on *everyone* at the held-out date and
scores everyone. The coefficients of a model of ~40 features are settled long before
1.8M rows; the test AUC is on the full population.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from stpkit.kid.errors import StoreError
from stpkit.kid.pipeline.insight_store import InsightStore

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("age 0-17", 0, 17), ("age 18-44", 18, 44), ("age 45-64", 45, 64),
    ("age 65-74", 65, 74), ("age 75-84", 75, 84), ("age 85+", 85, 200),
)  # fmt: skip
REFERENCE_AGE = "age 45-64"
# prior-use feature -> (label, SQL condition on activity a, cap on the count)
PRIOR_USE: dict[str, tuple[str, str, int]] = {
    "prior_emergency": ("Emergency admissions before", "a.setting = 'apc' AND a.emergency", 3),
    "prior_other_apc": ("Other admissions before", "a.setting = 'apc' AND NOT a.emergency", 3),
    "prior_ae": ("A&E attendances before", "a.setting = 'ae'", 5),
    "prior_op": ("Outpatient appointments before", "a.setting = 'op'", 10),
    "prior_gp": ("GP appointments before", "a.setting = 'gp'", 20),
    "prior_community": ("Community contacts before", "a.setting = 'community'", 20),
    "prior_social_care": ("Social care contacts before", "a.setting = 'social_care'", 5),
    "prior_mental_health": ("Mental health contacts before", "a.setting = 'mental_health'", 10),
}
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


def _add_months(d: date, months: int) -> date:
    m = d.year * 12 + d.month - 1 + months
    return date(m // 12, m % 12 + 1, 1)


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
    test = _add_months(end, -12)
    return RiskWindows(prior, _add_months(test, -prior), test, end)


def conditions(store: InsightStore) -> list[str]:
    rows = store.con.execute("SELECT DISTINCT condition FROM condition ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


def features(
    store: InsightStore,
    index: date,
    prior_months: int,
    condition_names: list[str],
    with_outcome: bool = True,
    sample: int | None = None,
) -> pd.DataFrame:
    """One row per person alive at `index`: features, and the outcome when it is observed
    (conditions as columns `c_<i>` in the order of `condition_names`). With `sample`, only
    that many of them, chosen at random (`training_sample`), and only their activity read."""
    since = _add_months(index, -prior_months)
    until = _add_months(index, 12)
    shift = store.reference_date.year - index.year
    prior = ", ".join(
        f"count(*) FILTER (WHERE {cond} AND a.activity_date >= $since "
        f"AND a.activity_date < $index) AS {name}"
        for name, (_, cond, _) in PRIOR_USE.items()
    )
    outcome = (
        ", count(*) FILTER (WHERE a.setting = 'apc' AND a.emergency AND "
        "a.activity_date >= $index AND a.activity_date < $until) > 0 AS outcome"
        if with_outcome
        else ""
    )
    flags = "".join(f", bool_or(condition = $c{i}) AS c_{i}" for i in range(len(condition_names)))
    named = {f"c{i}": c for i, c in enumerate(condition_names)}
    # Places only where tiers are counted (strings are the slow part of a large fetch).
    places = "" if with_outcome else "practice_code, locality, "
    chosen = only = where_only = ""
    if sample is not None:
        chosen = f"ORDER BY hash(person_token), person_token LIMIT {int(sample)}"
        only = "AND a.person_token IN (SELECT person_token FROM people)"
        where_only = "WHERE person_token IN (SELECT person_token FROM people)"
    frame = store.con.execute(
        f"""WITH people AS (
              SELECT person_token, {places}(sex IN ('F', '2')) AS female, imd_quintile,
                     greatest(age - $shift, 0) AS age FROM person
              WHERE (death_month IS NULL OR death_month >= $month) AND age - $shift >= 0
              {chosen}),
            use AS (
              SELECT a.person_token, {prior}{outcome} FROM activity a
              WHERE a.activity_date >= $since AND a.activity_date < $until {only} GROUP BY 1),
            ltc AS (SELECT person_token, count(*) AS n_conditions{flags}
                    FROM condition {where_only} GROUP BY 1)
            SELECT p.* EXCLUDE (person_token), u.* EXCLUDE (person_token),
                   l.* EXCLUDE (person_token) FROM people p
            LEFT JOIN use u USING (person_token) LEFT JOIN ltc l USING (person_token)""",
        {
            "shift": shift,
            "month": f"{index:%Y-%m}",
            "since": since,
            "index": index,
            "until": until,
            **named,
        },
    ).df()
    for i in range(len(condition_names)):
        frame[f"c_{i}"] = frame[f"c_{i}"].fillna(False).astype(bool)
    frame["n_conditions"] = frame.n_conditions.fillna(0).astype(int)
    for name in PRIOR_USE:
        frame[name] = frame[name].fillna(0).astype(int)
    if with_outcome:
        frame["outcome"] = frame.outcome.fillna(False).astype(bool)
    return frame


def design(frame: pd.DataFrame, condition_names: list[str]) -> tuple[np.ndarray, list[str]]:
    """The model's matrix and a readable name per column (reference groups left out)."""
    cols: dict[str, np.ndarray] = {}
    age = frame.age.to_numpy()
    for label, lo, hi in AGE_BANDS:
        if label != REFERENCE_AGE:
            cols[label] = ((age >= lo) & (age <= hi)).astype(float)
    cols["female"] = frame.female.fillna(False).to_numpy(float)
    for i, c in enumerate(condition_names):
        cols[c.replace("_", " ")] = frame[f"c_{i}"].to_numpy(float)
    cols["number of conditions"] = frame.n_conditions.to_numpy(float)
    for name, (label, _, cap) in PRIOR_USE.items():
        cols[label] = np.minimum(frame[name].to_numpy(float), cap)
    quintile = frame.imd_quintile.fillna(3).to_numpy()
    for q in (1, 2, 3, 4):
        cols[f"IMD quintile {q}" + (" (most deprived)" if q == 1 else "")] = (quintile == q).astype(
            float
        )
    names = list(cols)
    return np.column_stack([cols[n] for n in names]), names


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
    train = features(
        store, w.train_index, w.prior_months, names, sample=training_sample(store, w.train_index)
    )
    test = features(store, w.test_index, w.prior_months, names)
    x_train, labels = design(train, names)
    x_test, _ = design(test, names)
    mean, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=500)
    model.fit((x_train - mean) / sd, train.outcome.to_numpy())
    p_test = model.predict_proba((x_test - mean) / sd)[:, 1]
    y_test = test.outcome.to_numpy()
    tenth = np.minimum((np.argsort(np.argsort(p_test)) * 10) // max(len(p_test), 1), 9)
    calibration = (
        pd.DataFrame({"tenth": tenth + 1, "predicted": p_test, "observed": y_test.astype(float)})
        .groupby("tenth")
        .agg(people=("predicted", "size"), predicted=("predicted", "mean"),
             observed=("observed", "mean"))
        .reset_index()
    )  # fmt: skip
    coef = model.coef_[0] / sd
    now = features(store, w.score_index, w.prior_months, names, with_outcome=False)
    x_now, _ = design(now, names)
    risk = model.predict_proba((x_now - mean) / sd)[:, 1]
    scored = now[["practice_code", "locality"]].assign(risk=risk, tier=tiers_of(risk))
    return RiskModel(
        windows=w,
        coefficients=pd.DataFrame({"feature": labels, "odds_ratio": np.exp(coef)}),
        intercept=float(model.intercept_[0] - np.sum(model.coef_[0] * mean / sd)),
        auc=float(roc_auc_score(y_test, p_test)) if 0 < y_test.sum() < len(y_test) else 0.5,
        brier=float(brier_score_loss(y_test, p_test)),
        train_people=len(train),
        test_people=len(test),
        test_rate=float(y_test.mean()) if len(y_test) else 0.0,
        calibration=calibration,
        scored=scored,
    )
