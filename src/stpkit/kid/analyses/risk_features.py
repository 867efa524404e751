"""The risk model's features: one row per person alive at an index date.

`features` is the definition, one index date at a time, in plain SQL: for each person
alive at the index date, their age, sex and IMD quintile, each long-term condition and
their count, their contacts of each kind (`PRIOR_USE`) in the `prior_months` before the
index date and (`with_outcome`) whether they had an emergency admission in the 12 months
from it.

`window_features` gives exactly the same rows for several index dates at once, reading the
activity once. The model needs three (train, test, score), and at full scale each reading
of tens of millions of activity rows, grouped by a string token, was most of the fit's
time. Here everyone alive at any of the dates is numbered once, each activity row is
joined to its person's number and given one small code, kind of contact x period, where
the periods are cut at every window's start, index and end date; numpy counts the codes
per person (`np.bincount`) and a window's count of a kind is the sum over the periods it
spans. Conditions are counted the same way. Rows come in the order of a hash of the
token, which is also the order the training sample is taken in.
`tests/kid/test_risk_features.py` checks person for person that both give the same
features.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from stpkit.kid.pipeline.insight_store import InsightStore

# prior-use feature -> (label, SQL condition on activity a, cap on the count). The
# conditions must not overlap (`window_features` gives each activity row one kind).
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
# The outcome is a contact of this kind in the 12 months from the index date.
OUTCOME_KIND = "prior_emergency"
OUTCOME_MONTHS = 12


def add_months(d: date, months: int) -> date:
    """The first of the month `months` after `d`'s month."""
    m = d.year * 12 + d.month - 1 + months
    return date(m // 12, m % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """One index date: use of care counted over `prior_months` before it, the outcome
    (when `with_outcome`) over the 12 months from it; `sample`: only that many people,
    the first alive in the order of a hash of their token (`features`)."""

    index: date
    prior_months: int
    with_outcome: bool = True
    sample: int | None = None

    @property
    def since(self) -> date:
        return add_months(self.index, -self.prior_months)

    @property
    def until(self) -> date:
        return add_months(self.index, OUTCOME_MONTHS)


def _alive(store: InsightStore, index: date) -> tuple[str, dict[str, object]]:
    """SQL on `person`: alive at `index` and born by then; its age there; parameters."""
    shift = store.reference_date.year - index.year
    return (
        "(death_month IS NULL OR death_month >= $month) AND age - $shift >= 0",
        {"month": f"{index:%Y-%m}", "shift": shift},
    )


def features(
    store: InsightStore,
    index: date,
    prior_months: int,
    condition_names: list[str],
    with_outcome: bool = True,
    sample: int | None = None,
    tokens: bool = False,
) -> pd.DataFrame:
    """One row per person alive at `index`: features, and the outcome when it is observed
    (conditions as columns `c_<i>` in the order of `condition_names`). With `sample`, only
    that many of them, chosen at random (`training_sample`), and only their activity read.
    The definition, one index date at a time; `window_features` is the fast way."""
    since = add_months(index, -prior_months)
    until = add_months(index, OUTCOME_MONTHS)
    alive, params = _alive(store, index)
    prior = ", ".join(
        f"count(*) FILTER (WHERE {cond} AND a.activity_date >= $since "
        f"AND a.activity_date < $index) AS {name}"
        for name, (_, cond, _) in PRIOR_USE.items()
    )
    outcome = (
        f", count(*) FILTER (WHERE {PRIOR_USE[OUTCOME_KIND][1]} AND "
        "a.activity_date >= $index AND a.activity_date < $until) > 0 AS outcome"
        if with_outcome
        else ""
    )
    flags = "".join(f", bool_or(condition = $c{i}) AS c_{i}" for i in range(len(condition_names)))
    named = {f"c{i}": c for i, c in enumerate(condition_names)}
    # Places only where tiers are counted (strings are the slow part of a large fetch).
    places = "" if with_outcome else "practice_code, locality, "
    token = "person_token AS token, " if tokens else ""
    chosen = only = where_only = ""
    if sample is not None:
        chosen = f"ORDER BY hash(person_token), person_token LIMIT {int(sample)}"
        only = "AND a.person_token IN (SELECT person_token FROM people)"
        where_only = "WHERE person_token IN (SELECT person_token FROM people)"
    frame = store.con.execute(
        f"""WITH people AS (
              SELECT person_token, {token}{places}(sex IN ('F', '2')) AS female,
                     imd_quintile, greatest(age - $shift, 0) AS age FROM person
              WHERE {alive} {chosen}),
            use AS (
              SELECT a.person_token, {prior}{outcome} FROM activity a
              WHERE a.activity_date >= $since AND a.activity_date < $until {only} GROUP BY 1),
            ltc AS (SELECT person_token, count(*) AS n_conditions{flags}
                    FROM condition {where_only} GROUP BY 1)
            SELECT p.* EXCLUDE (person_token), u.* EXCLUDE (person_token),
                   l.* EXCLUDE (person_token) FROM people p
            LEFT JOIN use u USING (person_token) LEFT JOIN ltc l USING (person_token)""",
        {**params, "since": since, "index": index, "until": until, **named},
    ).df()
    for i in range(len(condition_names)):
        frame[f"c_{i}"] = frame[f"c_{i}"].fillna(False).astype(bool)
    frame["n_conditions"] = frame.n_conditions.fillna(0).astype(int)
    for name in PRIOR_USE:
        frame[name] = frame[name].fillna(0).astype(int)
    if with_outcome:
        frame["outcome"] = frame.outcome.fillna(False).astype(bool)
    return frame


def window_features(
    store: InsightStore,
    windows: Sequence[Window],
    condition_names: list[str],
    tokens: bool = False,
) -> list[pd.DataFrame]:
    """`features` of every window, reading the activity and conditions once. Rows are in
    the order of a hash of the person's token (`features`' rows are in no set order);
    `tokens` adds each person's token as column `token` (for checks; it is slow)."""
    table = f"risk_people_{uuid.uuid4().hex}"
    con = store.con
    alive_sql: list[str] = []
    params: dict[str, object] = {}
    for i, w in enumerate(windows):
        sql, p = _alive(store, w.index)
        alive_sql.append(sql.replace("$month", f"$month{i}").replace("$shift", f"$shift{i}"))
        params |= {f"month{i}": p["month"], f"shift{i}": p["shift"]}
    flags = ", ".join(f"({s}) AS alive_{i}" for i, s in enumerate(alive_sql))
    # Everyone alive at any of the dates, numbered 0..n-1 in no particular order.
    con.execute(
        f"""CREATE TEMP TABLE {table} AS
            SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS id, person_token,
                   hash(person_token) AS hashed, age, (sex IN ('F', '2')) AS female,
                   imd_quintile, practice_code, locality, {flags}
            FROM person WHERE {" OR ".join(f"({s})" for s in alive_sql)}""",
        params,
    )
    try:
        return _from_table(store, table, windows, condition_names, tokens)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _hash_order(store: InsightStore, table: str, hashed: np.ndarray) -> np.ndarray:
    """The people's numbers in the order of (hash of token, token), as `features`' sample
    takes them; the token decides only between equal hashes, so it is read only then."""
    order = np.argsort(hashed, kind="stable")
    ranked = hashed[order]
    if len(ranked) > 1 and bool((ranked[1:] == ranked[:-1]).any()):
        ids = store.con.execute(f"SELECT id FROM {table} ORDER BY hashed, person_token")
        return np.asarray(ids.fetchnumpy()["id"], dtype=np.int64)
    return order


def _from_table(
    store: InsightStore,
    table: str,
    windows: Sequence[Window],
    condition_names: list[str],
    tokens: bool,
) -> list[pd.DataFrame]:
    con = store.con
    places = any(not w.with_outcome for w in windows)
    people = con.execute(
        f"SELECT {'person_token AS token, ' if tokens else ''}"
        f"{'practice_code, locality, ' if places else ''}* "
        f"EXCLUDE (id, person_token, practice_code, locality) FROM {table} ORDER BY id"
    ).df()
    n = len(people)
    order = _hash_order(store, table, people.hashed.to_numpy())
    # Every activity row once: its person's number and a code, kind x period (an extra
    # kind, last, for a row of none of the kinds: counted nowhere).
    cuts = sorted({d for w in windows for d in (w.since, w.index, w.until)})
    kinds = len(PRIOR_USE) + 1
    periods = len(cuts) - 1
    kind = " ".join(f"WHEN {cond} THEN {k}" for k, (_, cond, _) in enumerate(PRIOR_USE.values()))
    period = " ".join(f"WHEN a.activity_date < $d{j + 1} THEN {j}" for j in range(periods - 1))
    days = {f"d{j}": d for j, d in enumerate(cuts)}
    cells = kinds * periods
    rows = con.execute(
        f"""SELECT CAST(p.id AS {_int(n * cells)}) * {cells} + code AS cell FROM (
              SELECT person_token, (CASE {kind} ELSE {kinds - 1} END) * {periods}
                     + (CASE {period} ELSE {periods - 1} END) AS code
              FROM activity a WHERE a.activity_date >= $d0 AND a.activity_date < $d{periods})
            JOIN {table} p USING (person_token)""",
        days,
    ).fetchnumpy()["cell"]
    counts = np.bincount(rows, minlength=n * cells).reshape(n, kinds, periods)
    del rows
    # Every condition row once: its person's number and the condition's column (the last
    # for a name not asked for, which counts towards n_conditions only, as in `features`).
    names = len(condition_names)
    listed = ", ".join(f"($c{i}, {i})" for i in range(names)) or "(NULL, 0)"
    cond = con.execute(
        f"""SELECT CAST(p.id AS {_int(n * (names + 1))}) * {names + 1} + coalesce(n.i, {names})
                   AS cell
            FROM condition c JOIN {table} p USING (person_token)
            LEFT JOIN (VALUES {listed}) n(name, i) ON c.condition = n.name""",
        {f"c{i}": c for i, c in enumerate(condition_names)},
    ).fetchnumpy()["cell"]
    held = np.bincount(cond, minlength=n * (names + 1)).reshape(n, names + 1)
    del cond
    ltc = Conditions(held[:, :names] > 0, held.sum(axis=1))
    del held
    return [
        _window(people, order, counts, ltc, cuts, i, w, store.reference_date.year - w.index.year)
        for i, w in enumerate(windows)
    ]


def _int(largest: int) -> str:
    """The SQL integer type that holds numbers up to `largest`."""
    return "INTEGER" if largest < 2**31 else "BIGINT"


@dataclass(frozen=True)
class Conditions:
    """Everyone's conditions: a flag per condition asked for, and their count."""

    flags: np.ndarray  # people x conditions, bool
    count: np.ndarray  # people, int


def _window(
    people: pd.DataFrame,
    order: np.ndarray,
    counts: np.ndarray,
    ltc: Conditions,
    cuts: list[date],
    i: int,
    w: Window,
    shift: int,
) -> pd.DataFrame:
    """One window's rows from the counts by kind and period (columns as `features`)."""
    rows = order[people[f"alive_{i}"].to_numpy(bool)[order]]  # alive, in the hash order
    if w.sample is not None:
        rows = rows[: w.sample]  # the first alive in the hash order are the sample

    def spanning(start: date, end: date) -> slice:
        """The periods from `start` to `end` (both are cuts, so a run of whole periods)."""
        return slice(cuts.index(start), cuts.index(end))

    out: dict[str, Any] = {}
    if "token" in people:
        out["token"] = people.token.array.take(rows)
    if not w.with_outcome:
        out["practice_code"] = people.practice_code.array.take(rows)
        out["locality"] = people.locality.array.take(rows)
    out["female"] = people.female.array.take(rows)
    out["imd_quintile"] = people.imd_quintile.array.take(rows)
    out["age"] = people.age.to_numpy()[rows] - shift  # never below 0: born by the index
    prior = counts[:, :, spanning(w.since, w.index)].sum(axis=2)[rows]
    for k, name in enumerate(PRIOR_USE):
        out[name] = prior[:, k]
    if w.with_outcome:
        kind = list(PRIOR_USE).index(OUTCOME_KIND)
        out["outcome"] = counts[:, kind, spanning(w.index, w.until)].sum(axis=1)[rows] > 0
    out["n_conditions"] = ltc.count[rows]
    flags = ltc.flags[rows]
    for c in range(flags.shape[1]):
        out[f"c_{c}"] = flags[:, c]
    return pd.DataFrame(out, copy=False)  # columns as they are: no copy into blocks
