"""Risk stratification, published: the model's performance and risk tiers by place.

The model (`stpkit.kid.analyses.risk`) is fitted inside the pseudonymised zone once per
store version and kept in memory with its scores summed by place and tier (`compact`; a
large store's is fitted in a child process, `isolate`). Given a cache directory, that
summary is also written there as JSON (`summary_path`; no row per person, no token), so
every later process on the same store version (another web worker, a restart, after
`stpkit kid warm`) reads it instead of fitting again. What leaves is: AUC and Brier
score on the held-out period, calibration by tenth of predicted risk (people per tenth
through the policy, the shares rounded to 0.1%), the odds ratios of every feature, and
per practice or locality the people in each risk tier and the expected emergency
admissions, every count through the disclosure policy (a group whose people count is
suppressed hides its tiers). No person's risk or token is published: a care team's list
of named patients is a direct care use, for the practice's own system, not this page.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from stpkit.disclosure import DisclosurePolicy
from stpkit.kid.analyses.risk import TIERS, RiskModel, RiskWindows, fit_risk
from stpkit.kid.governed.dashboards import published
from stpkit.kid.governed.isolate import in_child, worth_isolating
from stpkit.kid.pipeline.insight_store import InsightStore

GROUPINGS: dict[str, str] = {"locality": "Locality", "practice_code": "GP practice"}
_models: dict[str, RiskModel] = {}
_compact: dict[str, RiskModel] = {}
_published: dict[tuple[str, str, str], PublishedRisk] = {}
_lock = threading.Lock()


def compact(model: RiskModel) -> RiskModel:
    """The model with its scored people summed by practice, locality and tier (`people`,
    and `risk`: their expected admissions), all the published tiers need."""
    scored = model.scored
    summed = (
        scored.groupby(["practice_code", "locality", "tier"], dropna=False, observed=True)
        .agg(people=("risk", "size"), risk=("risk", "sum"))
        .reset_index()
    )
    return replace(model, scored=summed)


def _fit_compact(store: InsightStore) -> RiskModel:
    return compact(fit_risk(store))


def published_model(store: InsightStore, cache_dir: Path | None = None) -> RiskModel:
    """The store version's model with its scores summed (`compact`); for a large store
    fitted in a child process (`isolate`), so no row per person stays in this one. With
    `cache_dir`, read from the summary a process wrote there before, or written there."""
    path = None if cache_dir is None else summary_path(store, cache_dir)
    with _lock:
        model = _compact.get(store.version)
    if model is not None:
        if path is not None and not path.exists():
            write_summary(model, path)
        return model
    model = read_summary(path) if path is not None and path.exists() else None
    if model is None:
        found = in_child(store, _fit_compact) if worth_isolating(store) else None
        model = found if found is not None else compact(risk_model(store))
        if path is not None:
            write_summary(model, path)
    with _lock:
        _compact.clear()  # one version at a time: the live one
        _compact[store.version] = model
    return model


SUMMARY_SCHEMA = 1  # bump when the summary's fields or their meaning change


def summary_path(store: InsightStore, cache_dir: Path) -> Path:
    """Where the store version's risk summary is kept in `cache_dir`."""
    return Path(cache_dir) / f"risk-{SUMMARY_SCHEMA}-{store.version}.json"


def write_summary(model: RiskModel, path: Path) -> None:
    """A compacted model as JSON (written whole or not at all)."""
    frames = ("coefficients", "calibration", "scored")
    body = {k: v for k, v in vars(model).items() if k not in (*frames, "windows")}
    body["windows"] = {k: str(v) for k, v in asdict(model.windows).items()}
    for name in frames:
        frame: pd.DataFrame = getattr(model, name)
        body[name] = {c: frame[c].tolist() for c in frame.columns}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # one per writer
    tmp.write_text(json.dumps(body))
    tmp.replace(path)


def read_summary(path: Path) -> RiskModel | None:
    """The model `write_summary` wrote, or None if the file cannot be read as one (it is
    then fitted and written again)."""
    try:
        return _summary(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _summary(body: dict[str, Any]) -> RiskModel:
    w = body.pop("windows")
    windows = RiskWindows(
        int(w["prior_months"]),
        *(date.fromisoformat(w[k]) for k in ("train_index", "test_index", "score_index")),
    )
    return RiskModel(
        windows=windows,
        coefficients=pd.DataFrame(body["coefficients"]),
        intercept=float(body["intercept"]),
        auc=float(body["auc"]),
        brier=float(body["brier"]),
        train_people=int(body["train_people"]),
        test_people=int(body["test_people"]),
        test_rate=float(body["test_rate"]),
        calibration=pd.DataFrame(body["calibration"]),
        scored=pd.DataFrame(body["scored"]),
    )


def risk_model(store: InsightStore) -> RiskModel:
    """The store version's fitted model (fitted on first use, then kept)."""
    with _lock:
        model = _models.get(store.version)
        if model is None:
            model = fit_risk(store)
            _models.clear()  # one version at a time: the live one
            _models[store.version] = model
    return model


@dataclass(frozen=True)
class PublishedRisk:
    auc: float
    brier: float
    test_rate: float
    train_people: int | None
    test_people: int | None
    periods: list[str]
    calibration: list[dict[str, Any]]  # tenth, people, predicted (%), observed (%)
    coefficients: list[dict[str, Any]]  # feature, odds_ratio
    tiers: list[dict[str, Any]]  # group, people, one column per tier, expected admissions


def published_risk(
    store: InsightStore,
    policy: DisclosurePolicy,
    by: str = "locality",
    cache_dir: Path | None = None,
) -> PublishedRisk:
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; one of {', '.join(GROUPINGS)}")
    key = (store.version, policy.name, by)
    with _lock:
        found = _published.get(key)
    if found is not None:
        return found
    result = _publish(published_model(store, cache_dir), policy, by)
    with _lock:
        if len(_published) > 16:
            _published.clear()
        _published[key] = result
    return result


def _publish(model: RiskModel, policy: DisclosurePolicy, by: str) -> PublishedRisk:
    cal = model.calibration.copy()
    people = published(cal.people, policy)
    calibration = [
        {
            "tenth": int(t),
            "people": n,
            "predicted": None if n is None else round(100 * p, 1),
            "observed": None if n is None else round(100 * o, 1),
        }
        for t, n, p, o in zip(cal.tenth, people, cal.predicted, cal.observed, strict=True)
    ]
    coefficients = [
        {"feature": f, "odds_ratio": round(float(o), 2)}
        for f, o in zip(model.coefficients.feature, model.coefficients.odds_ratio, strict=True)
    ]
    scored = model.scored  # compacted: people and risk summed by place and tier
    group = scored[by].fillna("Unknown")
    counts = (
        scored.pivot_table(index=group, columns="tier", values="people", aggfunc="sum")
        .reindex(columns=[t for t, _, _ in TIERS])
        .fillna(0)
        .astype(int)
    )
    expected = scored.groupby(group).risk.sum()
    group_people = published(counts.sum(axis=1), policy)
    tier_people = {t: published(counts[t], policy) for t, _, _ in TIERS}
    tiers = []
    for i, (group, total) in enumerate(zip(counts.index, group_people, strict=True)):
        row: dict[str, Any] = {"group": str(group), "people": total}
        for t, _, _ in TIERS:
            row[t] = None if total is None else tier_people[t].iloc[i]
        row["expected_admissions"] = (
            None if total is None else policy.apply(round(float(expected[group])))
        )
        tiers.append(row)
    return PublishedRisk(
        auc=round(model.auc, 3),
        brier=round(model.brier, 4),
        test_rate=round(100 * model.test_rate, 1),
        train_people=policy.apply(model.train_people),
        test_people=policy.apply(model.test_people),
        periods=model.windows.describe(),
        calibration=calibration,
        coefficients=coefficients,
        tiers=tiers,
    )
