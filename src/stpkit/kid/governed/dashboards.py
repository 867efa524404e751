"""The population pages' figures, computed inside the pseudonymised zone and published safely.

Every function takes an open store and a disclosure policy and returns a pandas frame in
which every count of people (and of events) has passed the policy: suppressed cells are
None, and rates, shares and costs per person are computed from the published counts or
hidden with them, so no small number can be recovered from a published ratio.

Segmentations are computed once per store version and cached as Parquet beside the store
views (`segments_table`), so the segment and cost pages only sum a cached table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import poisson

from stpkit.disclosure import DisclosurePolicy
from stpkit.kid.analyses.costing import person_costs
from stpkit.kid.analyses.segment import BRIDGES_SEGMENTS, segment_people
from stpkit.kid.governed.isolate import in_child, worth_isolating
from stpkit.kid.governed.memo import per_version
from stpkit.kid.pipeline.insight_store import (
    AGE_BANDS,
    ALIVE_NOW,
    SETTINGS,
    InsightStore,
    alive_from,
)

SCHEMES: dict[str, str] = {
    "yoc_band": "Year of Care band",
    "bridges_segment": "Bridges to Health segment",
    "frailty": "Frailty (65 and over)",
    "cambridge_group": "Cambridge Multimorbidity Score (unit weights)",
}


# Groupings of the year-of-care cost page (columns of `segments_table`), plus "setting".
COST_GROUPINGS: dict[str, str] = {
    "setting": "Setting",
    "locality": "Locality (local authority district)",
    "practice_code": "GP practice",
    "lsoa_code": "LSOA",
}
# Bump when the columns of the cached segment table change, so old caches are not read.
TABLE_SCHEMA = "v3"
FRAILTY_ORDER = ("fit", "mild", "moderate", "severe", "not assessed")
# Groupings pre-summed beside the per-person table, so pages read a few hundred rows.
AGGREGATED: tuple[str, ...] = (*SCHEMES, "locality", "practice_code", "lsoa_code", "all")


def published(counts: pd.Series, policy: DisclosurePolicy) -> pd.Series:
    """The policy applied to a column of counts; suppressed or redacted-to-0 cells are None."""
    out = [policy.apply(int(c)) for c in counts.fillna(0)]
    return pd.Series(
        [
            None if (v is None or (v == 0 and c > 0)) else v
            for v, c in zip(out, counts.fillna(0), strict=True)
        ],
        index=counts.index,
        dtype=object,
    )


def pyramid(store: InsightStore, policy: DisclosurePolicy) -> pd.DataFrame:
    """Today's people by age band and sex (kept per store version and policy)."""
    return per_version(store, ("pyramid", policy.name), lambda: _pyramid(store, policy))


def _pyramid(store: InsightStore, policy: DisclosurePolicy) -> pd.DataFrame:
    raw = store.con.execute(
        f"SELECT age_band, sex, count(*) AS people FROM person WHERE {ALIVE_NOW} GROUP BY ALL"
    ).df()
    raw["order"] = raw.age_band.map({b: i for i, b in enumerate(AGE_BANDS)})
    raw = raw.sort_values(["order", "sex"]).drop(columns="order").reset_index(drop=True)
    raw["people"] = published(raw.people, policy)
    return raw


def segments_table(store: InsightStore, year: int, cache_dir: Path) -> Path:
    """Parquet of one row per person: segments and year-of-care cost (cached per version)."""
    path = Path(cache_dir) / f"segments-{TABLE_SCHEMA}-{store.version}-{year}.parquet"
    if path.exists():
        return path
    if worth_isolating(store):  # a row per person in pandas: not in a serving process
        in_child(store, _write_segments, year, path)
        if path.exists():
            return path
    return _write_segments(store, year, path)


def _write_segments(store: InsightStore, year: int, path: Path) -> Path:
    costs = person_costs(store, year)
    cond = store.con.execute("SELECT person_token, condition FROM condition").df()
    emerg = costs.set_index("person_token").emergency_admissions
    seg = segment_people(costs[["person_token", "age", "died"]], cond, emerg)
    table = costs.merge(seg, on="person_token")
    score = table.cambridge_score.to_numpy()
    table["cambridge_group"] = np.select(
        [score < 1, score < 2, score < 3, score < 4], ["0", "1", "2", "3"], "4+"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    table.drop(columns=["person_token"]).to_parquet(tmp, index=False)
    tmp.replace(path)
    aggregates(store, path)
    return path


def aggregates(store: InsightStore, table: Path) -> Path:
    """Raw sums of a per-person table by every page grouping (written once, beside it).

    One row per (dim, key): people, cost, cost_<setting>, and people_<setting> (people with
    a costed contact in the setting); dim "all" is the whole population. Raw counts: they
    stay in the pseudonymised zone and pass the policy when a page reads them.
    """
    path = table.with_name(table.name.replace("segments-", "aggregates-", 1))
    if path.exists():
        return path
    sums = ", ".join(
        f"sum(cost_{s}) AS cost_{s}, count(*) FILTER (WHERE cost_{s} > 0) AS people_{s}"
        for s in SETTINGS
    )
    parts = " UNION ALL ".join(
        f"SELECT '{d}' AS dim, "
        + ("'all'" if d == "all" else f"CAST({d} AS VARCHAR)")
        + f" AS key, count(*) AS people, sum(total) AS cost, {sums} FROM read_parquet($t)"
        + ("" if d == "all" else " GROUP BY ALL")
        for d in AGGREGATED
    )
    tmp = path.with_suffix(".tmp")
    target = str(tmp).replace("'", "''")
    store.con.execute(f"COPY ({parts}) TO '{target}' (FORMAT parquet)", {"t": str(table)})
    tmp.replace(path)
    return path


def segment_summary(
    store: InsightStore, table: Path, scheme: str, policy: DisclosurePolicy
) -> pd.DataFrame:
    """People, total cost, cost per person and share of cost per segment of one scheme."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown segmentation {scheme!r}; choose from {', '.join(SCHEMES)}")
    setting_cost = ", ".join(f"cost_{s}" for s in SETTINGS)
    raw = store.con.execute(
        f"SELECT key AS segment, people, cost, {setting_cost} "
        "FROM read_parquet(?) WHERE dim = ? ORDER BY 1",
        [str(aggregates(store, table)), scheme],
    ).df()
    order = {"bridges_segment": BRIDGES_SEGMENTS, "frailty": FRAILTY_ORDER}.get(scheme)
    if order:
        raw["o"] = raw.segment.map({s: i for i, s in enumerate(order)})
        raw = raw.sort_values("o").drop(columns="o")
    raw["people"] = published(raw.people, policy)
    hidden = raw.people.isna()
    cost_cols = ["cost", *[f"cost_{s}" for s in SETTINGS]]
    raw[cost_cols] = raw[cost_cols].round(0).astype(object).where(~hidden, None)
    total_cost = raw.loc[~hidden, "cost"].sum()
    raw["cost_per_person"] = [
        None if h else round(c / p, 0) for h, c, p in zip(hidden, raw.cost, raw.people, strict=True)
    ]
    raw["share_of_cost"] = [
        None if h else round(100 * c / total_cost, 1) for h, c in zip(hidden, raw.cost, strict=True)
    ]
    return raw.reset_index(drop=True)


def cost_summary(
    store: InsightStore, table: Path, by: str, policy: DisclosurePolicy
) -> pd.DataFrame:
    """Year-of-care cost by setting, locality, practice or LSOA, from the cached table.

    Per group: registered people, total cost, cost per registered person a year (people
    with no contact count, as in the Year of Care tariff) and share of the partnership's
    cost. For `by="setting"` each row is a setting: everyone registered is the denominator,
    and `people` counts those with a costed contact in that setting. People counts pass the
    policy; a group whose count is suppressed hides its cost too.
    """
    if by not in COST_GROUPINGS:
        raise ValueError(f"unknown cost grouping {by!r}; choose from {', '.join(COST_GROUPINGS)}")
    agg = str(aggregates(store, table))
    if by == "setting":
        parts = " UNION ALL ".join(
            f"SELECT '{s}' AS grp, people AS registered, people_{s} AS people, cost_{s} AS cost "
            "FROM read_parquet($path) WHERE dim = 'all'"
            for s in SETTINGS
        )
        raw = store.con.execute(parts, {"path": agg}).df()
        registered = published(raw.registered, policy)
        raw["group"] = raw.grp.map(SETTINGS)
        raw = raw.drop(columns=["grp"])
    else:
        setting_cost = ", ".join(f"cost_{s}" for s in SETTINGS)
        raw = store.con.execute(
            f'SELECT key AS "group", people, cost, {setting_cost} '
            "FROM read_parquet(?) WHERE dim = ? ORDER BY 1",
            [agg, by],
        ).df()
        registered = published(raw.people, policy)
    raw["people"] = published(raw.people, policy)
    hidden = raw.people.isna() | registered.isna()
    cost_cols = [c for c in raw.columns if c == "cost" or c.startswith("cost_")]
    raw[cost_cols] = raw[cost_cols].round(0).astype(object).where(~hidden, None)
    total_cost = float(raw.loc[~hidden, "cost"].sum())
    raw["cost_per_person"] = [
        None if h else round(c / r, 2 if by == "setting" else 0)
        for h, c, r in zip(hidden, raw.cost, registered, strict=True)
    ]
    raw["share_of_cost"] = [
        None if h or not total_cost else round(100 * c / total_cost, 1)
        for h, c in zip(hidden, raw.cost, strict=True)
    ]
    if by == "setting":
        raw["registered"] = registered
    return raw.reset_index(drop=True)


def trends(store: InsightStore, policy: DisclosurePolicy) -> pd.DataFrame:
    """Activity and cost by setting and month (kept per store version and policy)."""
    return per_version(store, ("trends", policy.name), lambda: _trends(store, policy))


def _trends(store: InsightStore, policy: DisclosurePolicy) -> pd.DataFrame:
    raw = store.con.execute(
        "SELECT setting, year, month, count(*) AS activity, sum(cost) AS cost FROM activity "
        "GROUP BY ALL ORDER BY year, month, setting"
    ).df()
    raw["month_start"] = pd.to_datetime(dict(year=raw.year, month=raw.month, day=1)).dt.strftime(
        "%Y-%m"
    )
    raw["setting_name"] = raw.setting.map(SETTINGS).fillna(raw.setting)
    raw["activity"] = published(raw.activity, policy)
    raw["cost"] = raw.cost.round(0).astype(object).where(raw.activity.notna(), None)
    return raw


def practice_emergency_admissions(
    store: InsightStore, year: int, policy: DisclosurePolicy, table: Path | None = None
) -> pd.DataFrame:
    """Emergency admissions per 1,000 registered by practice, with funnel-plot limits.

    The expected rate is the partnership's; limits are exact Poisson 95% and 99.8% limits
    for each practice's registered population. Counts are published through the policy and
    the rate is computed from the published counts. Kept per store version and policy.
    With `table` (the year's `segments_table`) the counts are summed from it rather than
    by joining the activity: the same numbers, from 1 row a person instead of 10.
    """
    return per_version(
        store,
        ("practice_emergency_admissions", year, policy.name),
        lambda: _practice_emergency_admissions(store, year, policy, table),
    )


def _practice_emergency_admissions(
    store: InsightStore, year: int, policy: DisclosurePolicy, table: Path | None
) -> pd.DataFrame:
    if table is not None:
        raw = _by_place(store, table, "practice_code", "registered")
    else:
        raw = store.con.execute(
            f"""SELECT p.practice_code, count(DISTINCT p.person_token) AS registered,
                      count(a.person_token) AS admissions
               FROM person p LEFT JOIN activity a
                 ON a.person_token = p.person_token AND a.setting = 'apc' AND a.emergency
                    AND a.year = ?
               WHERE {alive_from(year)}
               GROUP BY ALL ORDER BY 1""",
            [year],
        ).df()
    overall = raw.admissions.sum() / max(raw.registered.sum(), 1)
    out = pd.DataFrame({"practice_code": raw.practice_code})
    out["registered"] = published(raw.registered, policy)
    out["admissions"] = published(raw.admissions, policy)
    ok = out.registered.notna() & out.admissions.notna()
    reg = out.registered.where(ok, np.nan).astype(float)
    adm = out.admissions.where(ok, np.nan).astype(float)
    out["rate_per_1000"] = (1000 * adm / reg).round(2)
    expected = overall * reg
    for label, alpha in (("95", 0.025), ("998", 0.001)):
        out[f"lower_{label}"] = (1000 * poisson.ppf(alpha, expected) / reg).round(2)
        out[f"upper_{label}"] = (1000 * poisson.ppf(1 - alpha, expected) / reg).round(2)
    out["overall_rate_per_1000"] = round(1000 * overall, 2)
    out["outlier"] = np.where(
        out.rate_per_1000 > out.upper_998,
        "high",
        np.where(out.rate_per_1000 < out.lower_998, "low", ""),
    )
    out = out.astype(object).where(out.notna(), None)
    return out


def _by_place(store: InsightStore, table: Path, place: str, people: str) -> pd.DataFrame:
    """People, cost and emergency admissions by `place` from the year's per-person table
    (everyone alive at the start of the year, as `alive_from`), ordered by place."""
    return store.con.execute(
        f"""SELECT {place}, count(*) AS {people}, CAST(sum(emergency_admissions) AS BIGINT)
                  AS admissions, sum(total) AS cost
           FROM read_parquet(?) GROUP BY ALL ORDER BY 1""",
        [str(table)],
    ).df()


def lsoa_measures(
    store: InsightStore, year: int, policy: DisclosurePolicy, table: Path | None = None
) -> pd.DataFrame:
    """Registered people, cost per person and emergency admissions per 1,000 by LSOA
    (kept per store version and policy). With `table` (the year's `segments_table`) the
    sums come from it rather than from joining the activity: the same numbers."""
    return per_version(
        store,
        ("lsoa_measures", year, policy.name),
        lambda: _lsoa_measures(store, year, policy, table),
    )


def _lsoa_measures(
    store: InsightStore, year: int, policy: DisclosurePolicy, table: Path | None
) -> pd.DataFrame:
    if table is not None:
        raw = _by_place(store, table, "lsoa_code", "people")[
            ["lsoa_code", "people", "cost", "admissions"]
        ]
        return _lsoa_published(raw, policy)
    raw = store.con.execute(
        f"""SELECT p.lsoa_code, count(DISTINCT p.person_token) AS people,
                  coalesce(sum(a.cost), 0) AS cost,
                  count(a.person_token) FILTER (WHERE a.setting = 'apc' AND a.emergency)
                    AS admissions
           FROM person p LEFT JOIN activity a ON a.person_token = p.person_token AND a.year = ?
           WHERE {alive_from(year)}
           GROUP BY ALL ORDER BY 1""",
        [year],
    ).df()
    return _lsoa_published(raw, policy)


def _lsoa_published(raw: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    raw["people"] = published(raw.people, policy)
    raw["admissions"] = published(raw.admissions, policy)
    hidden = raw.people.isna()
    raw["cost_per_person"] = [
        None if h else round(c / p) for h, c, p in zip(hidden, raw.cost, raw.people, strict=True)
    ]
    raw["admissions_per_1000"] = [
        None if h or a is None else round(1000 * a / p, 1)
        for h, a, p in zip(hidden, raw.admissions, raw.people, strict=True)
    ]
    return raw.drop(columns=["cost"])


@dataclass(frozen=True)
class Overview:
    """The data overview's headline figures for one year (counts passed the policy)."""

    year: int
    people: int | None
    contacts: int | None
    cost: float
    cost_per_person: float


def overview(store: InsightStore, year: int, policy: DisclosurePolicy) -> Overview:
    """Today's registered people, the year's costed contacts and their cost (to the GBP 1,000);
    kept per store version and policy."""
    return per_version(
        store, ("overview", year, policy.name), lambda: _overview(store, year, policy)
    )


def _overview(store: InsightStore, year: int, policy: DisclosurePolicy) -> Overview:
    row = store.con.execute(
        "SELECT sum(cost), count(*) FROM activity WHERE year = ?", [year]
    ).fetchone()
    cost, contacts = (float(row[0] or 0), int(row[1])) if row else (0.0, 0)
    people = store.people()
    return Overview(
        year=year,
        people=policy.apply(people),
        contacts=policy.apply(contacts),
        cost=round(cost, -3),
        cost_per_person=round(cost / max(people, 1)),
    )
