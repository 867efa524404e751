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

**Geography is resolved before comparing.** Filters and groupings that name places by
different dimensions (a locality, or the list of its LSOAs but one) describe nested
populations although their names differ. Before two releases are compared, every
geographic filter is resolved to the set of LSOAs it covers (a locality filter becomes
its LSOAs, intersected with any LSOA filter), and an LSOA grouping is lifted to localities
when the other release groups by locality, so the check sees "locality X" and "X's LSOAs
but one" as nested and the one LSOA's count cannot be had by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stpkit.disclosure import DisclosurePolicy, policy_named
from stpkit.kid.governed.aggregate import (
    DIMENSIONS,
    MAX_FILTER_VALUES,
    MAX_GROUPS,
    AggregateQuery,
    QueryError,
)
from stpkit.kid.governed.differencing import (
    NO_GEOGRAPHY,
    Geography,
    Release,
    ReleaseLedger,
    differencing_risks,
    population_within,
    resolved_filters,
    threshold_of,
)
from stpkit.kid.governed.governance import AccessRefused, Governance
from stpkit.kid.governed.memo import per_version
from stpkit.kid.pipeline.insight_store import InsightStore


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
    return per_version(
        store,
        ("published_answer", q, policy.name),
        lambda: protect_answer(q, run_raw(store, q), policy),
    )


@dataclass
class QueryService:
    """Authorise, run, protect, check for differencing, record and log one query."""

    store: InsightStore
    governance: Governance

    @property
    def geography(self) -> Geography:
        """The store's LSOA-to-locality map (read once per store version)."""
        return Geography.of(self.store)

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
            geography=self.geography,
        )
        answer = protect_answer(q, rows, policy, risky)
        released = [c.key for c in answer.cells if not c.suppressed]
        self.ledger.record(q, self.store.version, raw, released)
        # the log's row count is the rows the person received (suppressed ones included,
        # shown as "–"); how many carried a figure goes in the description
        what = f"{q.describe()} ({len(released):,} of {len(answer.cells):,} rows with a figure)"
        self.governance.log(user, role, purpose_key, action, what, len(answer.cells))
        return answer


__all__ = [
    "DIMENSIONS",
    "MAX_FILTER_VALUES",
    "MAX_GROUPS",
    "NO_GEOGRAPHY",
    "AccessRefused",
    "AggregateQuery",
    "Answer",
    "Cell",
    "Geography",
    "QueryError",
    "QueryService",
    "Release",
    "ReleaseLedger",
    "differencing_risks",
    "population_within",
    "protect_answer",
    "resolved_filters",
    "run_raw",
    "threshold_of",
]
