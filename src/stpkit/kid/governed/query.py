"""Governed aggregate queries: the only way counts leave the pseudonymised zone.

A query names a table (`person` or `activity`), a grouping over whitelisted dimensions and
filters on those dimensions (lists of allowed values). Every cell carries the number of
distinct people behind it; the purpose's disclosure policy is applied to that count, and a
cell whose people count is suppressed hides its activity and cost too. Activity counts are
protected with the same policy; costs are rounded to the nearest pound.

**Differencing.** Two allowed queries over nested populations (one's filters a narrowing of
the other's) can reveal a small group by subtraction even when every published cell passes
the policy; so can a total set against the released cells of a finer grouping of the same
people (the total minus the cells shown is the suppressed cell). Every released query's raw
cell counts, and which cells were released, are kept in a release ledger (inside the
pseudonymised zone, beside the audit log). Before a new answer is released, the *released*
cells of it and of every earlier release over a nested population of the same table and
store version are summed onto the dimensions they share; wherever the two sums differ by at
least 1 and at most the policy's threshold, the new answer's cells in that group are
suppressed. Releases from different store versions are not compared (a monthly load
changes every count); docs/kid-governance.md states this limit.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stpkit.disclosure import DisclosurePolicy, policy_named
from stpkit.kid.governed.governance import AccessRefused, Governance, GovernanceError
from stpkit.kid.pipeline.insight_store import InsightStore

# dimension -> (SQL expression over the query's table, tables it applies to)
DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age_band": ("p.age_band", ("person", "activity")),
    "sex": ("p.sex", ("person", "activity")),
    "practice_code": ("p.practice_code", ("person", "activity")),
    "lsoa_code": ("p.lsoa_code", ("person", "activity")),
    "locality": ("p.locality", ("person", "activity")),
    "setting": ("a.setting", ("activity",)),
    "year": ("CAST(a.year AS VARCHAR)", ("activity",)),
    "provider": ("a.provider", ("activity",)),
    "emergency": ("CAST(a.emergency AS VARCHAR)", ("activity",)),
}
MAX_GROUPS = 3
MAX_FILTER_VALUES = 200


class QueryError(GovernanceError):
    """A query names an unknown table, dimension or value (which one, and why)."""


@dataclass(frozen=True)
class AggregateQuery:
    table: str
    group_by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def build(
        cls,
        table: str,
        group_by: Sequence[str] = (),
        filters: Mapping[str, Iterable[str]] | None = None,
    ) -> AggregateQuery:
        q = cls(
            table,
            tuple(group_by),
            tuple(
                sorted(
                    (d, tuple(sorted({str(v) for v in vs}))) for d, vs in (filters or {}).items()
                )
            ),
        )
        q.check()
        return q

    def check(self) -> None:
        if self.table not in {"person", "activity"}:
            raise QueryError(f"table must be 'person' or 'activity', not {self.table!r}")
        if len(self.group_by) > MAX_GROUPS or len(set(self.group_by)) != len(self.group_by):
            raise QueryError(
                f"group by at most {MAX_GROUPS} different dimensions, got {list(self.group_by)}"
            )
        for dim in [*self.group_by, *(d for d, _ in self.filters)]:
            if dim not in DIMENSIONS:
                raise QueryError(f"unknown dimension {dim!r}; choose from {', '.join(DIMENSIONS)}")
            if self.table not in DIMENSIONS[dim][1]:
                raise QueryError(f"dimension {dim!r} does not apply to table {self.table!r}")
        for dim, values in self.filters:
            if not values or len(values) > MAX_FILTER_VALUES:
                raise QueryError(
                    f"filter {dim!r} needs 1 to {MAX_FILTER_VALUES} values, got {len(values)}"
                )

    @property
    def tables(self) -> tuple[str, ...]:
        return ("person",) if self.table == "person" else ("person", "activity")

    def describe(self) -> str:
        by = ", ".join(self.group_by) or "nothing"
        where = "; ".join(f"{d} in {list(v)}" for d, v in self.filters) or "everyone"
        return f"{self.table} by {by} where {where}"

    def within(self, other: AggregateQuery) -> bool:
        """True if this query's population is contained in `other`'s (by its filters)."""
        mine = dict(self.filters)
        for dim, values in other.filters:
            if dim not in mine or not set(mine[dim]) <= set(values):
                return False
        return True


@dataclass
class Cell:
    key: tuple[str, ...]
    people: int | None
    activity: int | None
    cost: float | None
    suppressed: bool = False


@dataclass
class Answer:
    query: AggregateQuery
    policy: str
    cells: list[Cell]
    differencing_suppressed: int = 0
    raw: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for c in self.cells:
            row: dict[str, Any] = dict(zip(self.query.group_by, c.key, strict=True))
            row.update(people=c.people, suppressed=c.suppressed)
            if self.query.table == "activity":
                row.update(activity=c.activity, cost=c.cost)
            out.append(row)
        return out


def _sql(q: AggregateQuery) -> tuple[str, list[Any]]:
    keys = [f"{DIMENSIONS[d][0]} AS k{i}" for i, d in enumerate(q.group_by)]
    source = "person p" if q.table == "person" else "activity a JOIN person p USING (person_token)"
    where: list[str] = []
    params: list[Any] = []
    for dim, values in q.filters:
        where.append(f"{DIMENSIONS[dim][0]} IN ({', '.join('?' for _ in values)})")
        params.extend(values)
    measures = ["count(DISTINCT p.person_token) AS people"]
    if q.table == "activity":
        measures += ["count(*) AS activity", "sum(a.cost) AS cost"]
    else:
        measures += ["NULL AS activity", "NULL AS cost"]
    group = f"GROUP BY {', '.join(f'k{i}' for i in range(len(keys)))}" if keys else ""
    sql = (
        f"SELECT {', '.join([*keys, *measures])} FROM {source} "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} {group} ORDER BY ALL"
    )
    return sql, params


def run_raw(
    store: InsightStore, q: AggregateQuery
) -> list[tuple[tuple[str, ...], int, int, float]]:
    """Unprotected cells: only for use inside the pseudonymised zone."""
    sql, params = _sql(q)
    rows = store.con.execute(sql, params).fetchall()
    n = len(q.group_by)
    out = []
    for r in rows:
        if n == 0 and r[0] == 0:
            continue
        out.append(
            (
                tuple("" if v is None else str(v) for v in r[:n]),
                int(r[n]),
                int(r[n + 1] or 0),
                float(r[n + 2] or 0.0),
            )
        )
    return out


def threshold_of(policy: DisclosurePolicy) -> int:
    return int(getattr(policy, "threshold", 6))


@dataclass
class Release:
    """An earlier answer as the ledger keeps it: raw people per cell, and which were shown."""

    query: AggregateQuery
    cells: dict[tuple[str, ...], int]
    released: set[tuple[str, ...]] | None = None  # None: every cell was released

    def released_cells(self) -> dict[tuple[str, ...], int]:
        if self.released is None:
            return self.cells
        return {k: v for k, v in self.cells.items() if k in self.released}


@dataclass
class ReleaseLedger:
    """Raw cell counts of every released query, kept in the pseudonymised zone."""

    path: Path

    def releases(self, table: str, version: str) -> list[Release]:
        if not self.path.exists():
            return []
        out = []
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["table"] != table or r["version"] != version:
                    continue
                q = AggregateQuery(
                    r["table"], tuple(r["group_by"]), tuple((d, tuple(v)) for d, v in r["filters"])
                )
                # A cell is [key, raw people, released?]; older lines lack the flag (released).
                cells = {tuple(c[0]): int(c[1]) for c in r["cells"]}
                shown = {tuple(c[0]) for c in r["cells"] if len(c) < 3 or c[2]}
                out.append(Release(q, cells, shown))
        return out

    def record(
        self,
        q: AggregateQuery,
        version: str,
        raw: Mapping[tuple[str, ...], int],
        released: Iterable[tuple[str, ...]] | None = None,
    ) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        shown = set(raw) if released is None else set(released)
        line = json.dumps(
            {
                "table": q.table,
                "group_by": list(q.group_by),
                "filters": [[d, list(v)] for d, v in q.filters],
                "version": version,
                "cells": [[list(k), v, k in shown] for k, v in raw.items()],
            }
        )
        with self.path.open("a", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(line + "\n")
            fcntl.flock(fh, fcntl.LOCK_UN)


def _marginal(
    group_by: Sequence[str], cells: Mapping[tuple[str, ...], int], onto: Sequence[str]
) -> dict[tuple[str, ...], int]:
    idx = [list(group_by).index(d) for d in onto]
    out: dict[tuple[str, ...], int] = {}
    for key, v in cells.items():
        k = tuple(key[i] for i in idx)
        out[k] = out.get(k, 0) + v
    return out


def differencing_risks(
    q: AggregateQuery,
    raw: Mapping[tuple[str, ...], int],
    earlier: Iterable[Release | tuple[AggregateQuery, Mapping[tuple[str, ...], int]]],
    threshold: int,
    suppressed: Iterable[tuple[str, ...]] = (),
) -> set[tuple[str, ...]]:
    """Keys of cells of `q` that an earlier nested release would expose (1..threshold people).

    `suppressed` are the cells of `q` its policy hides anyway: they are left out of its
    released sums, so a total set against the released cells of a finer grouping is caught.
    """
    hidden = set(suppressed)
    mine_released = {k: v for k, v in raw.items() if k not in hidden}
    risky: set[tuple[str, ...]] = set()
    for item in earlier:
        release = item if isinstance(item, Release) else Release(item[0], dict(item[1]))
        prior = release.query
        if prior == q or not (q.within(prior) or prior.within(q)):
            continue
        shared = [d for d in q.group_by if d in prior.group_by]
        mine = _marginal(q.group_by, mine_released, shared)
        theirs = _marginal(prior.group_by, release.released_cells(), shared)
        bad = {
            k
            for k in set(mine) | set(theirs)
            if 0 < abs(mine.get(k, 0) - theirs.get(k, 0)) <= threshold
        }
        if not bad:
            continue
        idx = [list(q.group_by).index(d) for d in shared]
        risky.update(key for key in raw if tuple(key[i] for i in idx) in bad)
    return risky


def protect_answer(
    q: AggregateQuery,
    rows: list[tuple[tuple[str, ...], int, int, float]],
    policy: DisclosurePolicy,
    risky: set[tuple[str, ...]] = frozenset(),  # type: ignore[assignment]
) -> Answer:
    cells = []
    for key, people, activity, cost in rows:
        shown = policy.apply(people)
        if key in risky or shown is None or shown == 0:
            cells.append(Cell(key, None, None, None, suppressed=True))
            continue
        act = policy.apply(activity) if q.table == "activity" else None
        cells.append(Cell(key, shown, act, round(cost) if q.table == "activity" else None))
    return Answer(
        q, policy.name, cells, differencing_suppressed=len(risky), raw={k: p for k, p, _, _ in rows}
    )


def published_answer(store: InsightStore, q: AggregateQuery, policy: DisclosurePolicy) -> Answer:
    """`q`'s answer with every count passed through `policy`, for a fixed page table.

    For the standing tables of the population pages, which the caller logs under their
    purpose; questions a user composes go through `QueryService.ask`, which also checks
    them against earlier releases for differencing.
    """
    return protect_answer(q, run_raw(store, q), policy)


@dataclass
class QueryService:
    """Authorise, run, protect, check for differencing, record and log one query."""

    store: InsightStore
    governance: Governance

    @property
    def ledger(self) -> ReleaseLedger:
        return ReleaseLedger(self.governance.root / "releases.jsonl")

    def ask(
        self, q: AggregateQuery, *, user: str, role: str, purpose_key: str, action: str = "query"
    ) -> Answer:
        q.check()
        purpose = self.governance.authorise(
            user=user, role=role, purpose_key=purpose_key, tables=q.tables, what=q.describe()
        )
        policy = policy_named(purpose.disclosure_policy)
        rows = run_raw(self.store, q)
        raw = {k: p for k, p, _, _ in rows}
        primary = {k for k, p, _, _ in rows if not policy.apply(p)}
        risky = differencing_risks(
            q,
            raw,
            self.ledger.releases(q.table, self.store.version),
            threshold_of(policy),
            suppressed=primary,
        )
        answer = protect_answer(q, rows, policy, risky)
        released = [c.key for c in answer.cells if not c.suppressed]
        self.ledger.record(q, self.store.version, raw, released)
        self.governance.log(user, role, purpose_key, action, q.describe(), len(released))
        return answer


__all__ = [
    "DIMENSIONS",
    "AccessRefused",
    "AggregateQuery",
    "Answer",
    "Cell",
    "QueryError",
    "QueryService",
    "Release",
    "ReleaseLedger",
    "differencing_risks",
    "protect_answer",
    "run_raw",
]
